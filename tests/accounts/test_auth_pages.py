"""Logging in and out, changing the password: Django auth, styled like the app."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")


def test_the_login_page_is_open_and_styled_like_the_app(client, db):
    response = client.get(LOGIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert "css/app.css" in html and "bootstrap" in html
    assert 'name="username"' in html and 'autocomplete="current-password"' in html
    assert "ServiceCRM" in html


def test_logging_in_goes_to_today(client, db):
    UserFactory(username="mia")  # password "pw"

    response = client.post(LOGIN, {"username": "mia", "password": "pw"})

    assert response.status_code == 302 and response.url == reverse("today")
    assert SESSION_KEY in client.session


def test_logging_in_returns_to_the_page_asked_for(client, db):
    UserFactory(username="mia")
    wanted = reverse("customers:list") + "?q=amy"

    response = client.post(LOGIN, {"username": "mia", "password": "pw", "next": wanted})

    assert response.url == wanted


def test_the_next_page_is_kept_in_the_login_form(client, db):
    html = client.get(LOGIN, {"next": "/customers/"}).content.decode()

    assert 'name="next" value="/customers/"' in html


def test_a_wrong_password_says_so_and_keeps_the_username(client, db):
    UserFactory(username="mia")

    response = client.post(LOGIN, {"username": "mia", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in html
    assert 'value="mia"' in html
    assert SESSION_KEY not in client.session


def test_a_signed_in_user_is_sent_on_from_the_login_page(worker_client):
    response = worker_client.get(LOGIN)

    assert response.status_code == 302 and response.url == reverse("today")


def test_logging_out_takes_a_post_and_goes_to_the_login_page(worker_client):
    response = worker_client.post(reverse("logout"))

    assert response.status_code == 302 and response.url == reverse("login")
    assert SESSION_KEY not in worker_client.session


def test_logging_out_by_get_is_refused(worker_client):
    response = worker_client.get(reverse("logout"))

    assert response.status_code == 405
    assert SESSION_KEY in worker_client.session


def test_every_page_offers_a_logout_button(worker_client):
    html = worker_client.get(reverse("customers:list")).content.decode()

    assert f'<form method="post" action="{reverse("logout")}">' in html


def test_changing_the_password(worker_client, worker):
    response = worker_client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw", "new_password1": "a-long-new-secret-9", "new_password2": "a-long-new-secret-9"},
    )

    assert response.status_code == 302 and response.url == reverse("accounts:password_done")
    worker.refresh_from_db()
    assert worker.check_password("a-long-new-secret-9")
    # The user stays signed in after changing it.
    assert worker_client.get(reverse("accounts:password_done")).status_code == 200


def test_a_wrong_old_password_is_shown_beside_the_field(worker_client, worker):
    response = worker_client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": "a-long-new-secret-9", "new_password2": "a-long-new-secret-9"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_old_password"' in html
    worker.refresh_from_db()
    assert worker.check_password("pw")


def test_the_password_pages_require_login(client, db):
    for name in ("accounts:password_change", "accounts:password_done", "accounts:profile"):
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 302 and response.url == f"{LOGIN}?next={url}"


def test_a_next_that_is_not_one_of_our_pages_goes_to_today(client, db):
    UserFactory(username="mia")

    for wanted in ("logout", "/logout/", "12", "//evil.example/", "https://evil.example/"):
        client.logout()
        response = client.post(LOGIN, {"username": "mia", "password": "pw", "next": wanted})
        assert response.url == reverse("today"), wanted

