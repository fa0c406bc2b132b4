"""Password reset by email: Django's own views and token, through a real SMTP server on loopback."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.services import send_mail_to, smtp_server  # noqa: F401

LOGIN = reverse("login")
RESET = reverse("password_reset")
SENT = reverse("password_reset_done")
COMPLETE = reverse("password_reset_complete")
NEW_PASSWORD = "a-long-new-secret-9"
LINK = re.compile(r"https://crm\.example\.com(/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counts():
    # django-ratelimit counts in the default cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://crm.example.com"
    settings.BUSINESS_NAME = "Green & Sons"
    settings.DEFAULT_FROM_EMAIL = "noreply@example.com"
    return settings


@pytest.fixture
def smtp(smtp_server, site):  # noqa: F811
    send_mail_to(site, smtp_server.port)
    return smtp_server.handler


@pytest.fixture
def mia(db):
    return UserFactory(username="mia", first_name="Mia", email="mia@example.com")


def text_and_html(message):
    return (message.get_body(preferencelist=("plain",)).get_content(),
            message.get_body(preferencelist=("html",)).get_content())


def without_csrf_token(response) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())


def link_path(message) -> str:
    text, _ = text_and_html(message)
    return LINK.search(text).group(1)


def test_a_forgotten_password_is_reset_through_the_link_in_the_email(smtp, mia):
    response = Client().post(RESET, {"email": "mia@example.com"})
    assert response.status_code == 302 and response.url == SENT

    # The email, as the SMTP server received it.
    [message] = smtp.messages
    assert message["To"] == "mia@example.com"
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Green & Sons", "noreply@example.com")
    assert message["Subject"] == "Choose a new password for Green & Sons"
    text, html = text_and_html(message)
    assert "Hello Mia," in text and 'account "mia"' in text
    assert "Green & Sons" in text  # plain text: not HTML-escaped
    path = link_path(message)
    assert f'href="https://crm.example.com{path}"' in html

    # The link from the email: Django swaps the token into the session and shows the form.
    phone = Client()
    form_page = phone.get(path, follow=True)
    assert form_page.status_code == 200 and "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = phone.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == COMPLETE

    # Signing in with the new password works; the old one does not.
    assert Client().post(LOGIN, {"username": "mia", "password": "pw"}).status_code == 200
    signed_in = Client()
    response = signed_in.post(LOGIN, {"username": "mia", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("today")
    assert SESSION_KEY in signed_in.session

    # The link works once.
    again = Client().get(path, follow=True)
    assert again.context["validlink"] is False
    assert "This link does not work any more" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(smtp, mia):
    known = Client().post(RESET, {"email": "mia@example.com"}, follow=True)
    unknown = Client().post(RESET, {"email": "nobody@example.com"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain == [(SENT, 302)]
    assert without_csrf_token(unknown) == without_csrf_token(known)
    assert [m["To"] for m in smtp.messages] == ["mia@example.com"]


def test_the_address_is_matched_whatever_its_case(smtp, mia):
    Client().post(RESET, {"email": "MIA@Example.com"})

    assert [m["To"] for m in smtp.messages] == ["mia@example.com"]


def test_a_deactivated_user_gets_no_link(smtp, mia):
    mia.is_active = False
    mia.save(update_fields=["is_active"])

    response = Client().post(RESET, {"email": "mia@example.com"})

    assert response.url == SENT
    assert smtp.messages == []


def test_someone_who_never_chose_a_password_gets_a_link_too(smtp, db):
    """Added by the owner by email, invitation lost: the same link lets them choose one."""
    invited = UserFactory(username="ivy", email="ivy@example.com")
    invited.set_unusable_password()
    invited.save(update_fields=["password"])

    Client().post(RESET, {"email": "ivy@example.com"})

    assert [m["To"] for m in smtp.messages] == ["ivy@example.com"]


def test_the_link_expires(smtp, mia, settings):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        Client().post(RESET, {"email": "mia@example.com"})
        path = link_path(smtp.messages[0])
        clock.shift(datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))

        response = Client().get(path, follow=True)

    assert response.context["validlink"] is False
    mia.refresh_from_db()
    assert mia.check_password("pw")


def test_a_tampered_link_does_not_work(smtp, mia):
    Client().post(RESET, {"email": "mia@example.com"})
    path = link_path(smtp.messages[0])

    response = Client().get(path[:-3] + "xx/", follow=True)

    assert response.context["validlink"] is False


def test_setting_the_password_signs_out_every_other_device(smtp, mia):
    phone = Client()
    phone.force_login(mia)
    Client().post(RESET, {"email": "mia@example.com"})
    browser = Client()
    form_page = browser.get(link_path(smtp.messages[0]), follow=True)

    browser.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = phone.get(reverse("today"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_a_weak_new_password_is_refused_beside_the_field(smtp, mia):
    Client().post(RESET, {"email": "mia@example.com"})
    browser = Client()
    form_page = browser.get(link_path(smtp.messages[0]), follow=True)

    response = browser.post(form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    mia.refresh_from_db()
    assert mia.check_password("pw")


# ---- Rate limit, by client address ----------------------------------------------------------------------------

def test_too_many_requests_from_one_address_get_the_same_answer_and_no_email(mia, settings, mailoutbox):
    settings.PASSWORD_RESET_RATE_LIMIT = "2/h"
    client = Client(REMOTE_ADDR="203.0.113.7")

    answers = [client.post(RESET, {"email": "mia@example.com"}) for _ in range(4)]

    assert [(a.status_code, a.url) for a in answers] == [(302, SENT)] * 4
    assert len(mailoutbox) == 2


def test_the_limit_is_per_client_address(mia, settings, mailoutbox):
    settings.PASSWORD_RESET_RATE_LIMIT = "1/h"
    Client(REMOTE_ADDR="203.0.113.7").post(RESET, {"email": "mia@example.com"})
    Client(REMOTE_ADDR="203.0.113.7").post(RESET, {"email": "mia@example.com"})

    Client(REMOTE_ADDR="198.51.100.20").post(RESET, {"email": "mia@example.com"})

    assert len(mailoutbox) == 2


def test_a_forged_forwarded_for_header_does_not_dodge_the_limit(mia, settings, mailoutbox):
    settings.PASSWORD_RESET_RATE_LIMIT = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1

    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        # The proxy appends the address it saw (203.0.113.7); what the client put before it is not believed.
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7").post(RESET, {"email": "mia@example.com"})

    assert len(mailoutbox) == 1


# ---- The pages ------------------------------------------------------------------------------------------------------

def test_the_login_page_links_to_the_reset(client, db):
    html = client.get(LOGIN).content.decode()

    assert f'href="{RESET}"' in html
    assert "Forgot your password?" in html


def test_the_reset_pages_are_open_without_login_and_styled_like_the_app(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(RESET)
    html = response.content.decode()
    assert response.status_code == 200
    assert "css/app.css" in html and 'name="email"' in html and "Send me a link" in html

    with django_assert_num_queries(0):
        sent = client.get(SENT)
    assert sent.status_code == 200 and "Check your email" in sent.content.decode()

    with django_assert_num_queries(0):
        complete = client.get(COMPLETE)
    assert complete.status_code == 200 and f'href="{LOGIN}"' in complete.content.decode()


def test_asking_for_a_link_costs_a_fixed_number_of_queries(client, mia, mailoutbox, django_assert_num_queries):
    # 1. the active users with this address
    with django_assert_num_queries(1):
        response = client.post(RESET, {"email": "mia@example.com"})

    assert response.url == SENT and len(mailoutbox) == 1


def test_an_empty_address_is_asked_for_again(client, db, mailoutbox):
    response = client.post(RESET, {"email": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert mailoutbox == []
