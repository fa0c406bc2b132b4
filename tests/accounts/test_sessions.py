"""Sessions fit lost phones: the idle timeout, "keep me signed in", sign out everywhere, and the wipe of a device
whose sign-in is over (Clear-Site-Data)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.services import user_sign_out_everywhere
from accounts.sessions import IDLE_GRACE_SECONDS

LOGIN = reverse("login")
TODAY = reverse("today")
PROFILE = reverse("accounts:profile")
EVERYWHERE = reverse("accounts:sign_out_everywhere")
START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
IDLE = datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)
WIPE = '"cache", "storage"'


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def log_in(client, *, keep=False, username="will"):
    data = {"username": username, "password": "pw"}
    if keep:
        data["keep_signed_in"] = "on"
    response = client.post(LOGIN, data)
    assert response.status_code == 302 and response.url == TODAY
    return response


def is_signed_out(response) -> bool:
    return response.status_code == 302 and response.url == f"{LOGIN}?next={TODAY}"


# ---- The idle timeout ------------------------------------------------------------------------------------------

def test_the_login_page_offers_to_keep_this_device_signed_in(client, db):
    html = client.get(LOGIN).content.decode()

    assert 'name="keep_signed_in"' in html
    assert "Keep me signed in on this device" in html
    assert 'type="checkbox"' in html


def test_a_session_without_keep_me_signed_in_ends_after_the_idle_time(clock, client, worker):
    log_in(client)

    clock.shift(IDLE + datetime.timedelta(seconds=61))
    response = client.get(TODAY)

    assert is_signed_out(response)
    assert response["Clear-Site-Data"] == WIPE
    assert SESSION_KEY not in client.session
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You were signed out after a while without using the app. Please log in again."
    ]


def test_the_login_page_says_why_after_an_idle_sign_out(clock, client, worker):
    log_in(client)
    clock.shift(IDLE + datetime.timedelta(seconds=61))

    response = client.get(TODAY, follow=True)

    assert "You were signed out after a while without using the app." in response.content.decode()


def test_using_the_app_keeps_the_session_going(clock, client, worker):
    log_in(client)

    # Three working days of use, never more than most of the idle time apart.
    for _ in range(8):
        clock.shift(IDLE - datetime.timedelta(hours=1))
        assert client.get(TODAY).status_code == 200


def test_the_session_cookie_expires_with_the_idle_time_and_moves_on_with_use(clock, client, worker):
    # A little longer than the idle time, so that the server's idle check ends it and can say why.
    idle_cookie_age = settings.SESSION_IDLE_TIMEOUT + IDLE_GRACE_SECONDS
    response = log_in(client)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == idle_cookie_age

    clock.shift(datetime.timedelta(hours=2))
    response = client.get(TODAY)

    # Saved again, so the browser keeps the cookie for another full idle time from now.
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == idle_cookie_age


def test_a_phone_back_after_days_is_told_its_sign_in_ended(clock, client, worker):
    log_in(client)
    clock.shift(datetime.timedelta(days=3))

    response = client.get(TODAY, follow=True)

    html = response.content.decode()
    assert "Your sign-in on this device has ended. Please log in again." in html
    assert response.redirect_chain[0][0] == f"{LOGIN}?next={TODAY}"


def test_the_service_workers_background_saving_is_no_use_of_the_app(clock, client, worker):
    log_in(client)

    clock.shift(IDLE - datetime.timedelta(hours=1))
    assert client.get(TODAY, headers={"X-Offline-Precache": "1"}).status_code == 200
    clock.shift(datetime.timedelta(hours=2))

    assert is_signed_out(client.get(TODAY))


def test_a_request_just_after_another_writes_no_session(clock, client, worker):
    log_in(client)
    client.get(TODAY)
    clock.shift(datetime.timedelta(seconds=30))

    response = client.get(TODAY)

    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_keep_me_signed_in_lasts_past_the_idle_time(clock, client, worker):
    response = log_in(client, keep=True)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE

    clock.shift(IDLE * 3)

    assert client.get(TODAY).status_code == 200


def test_keep_me_signed_in_still_ends_after_the_session_age(clock, client, worker):
    log_in(client, keep=True)

    clock.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
    response = client.get(TODAY)

    assert is_signed_out(response)
    # The server no longer knows the session the cookie names: the device wipes what it keeps.
    assert response["Clear-Site-Data"] == WIPE


# ---- Clear-Site-Data: the device wipes its offline copy when its sign-in is over --------------------------------

def test_logging_out_wipes_the_device(worker_client):
    response = worker_client.post(reverse("logout"))

    assert response["Clear-Site-Data"] == WIPE


def test_a_signed_in_page_does_not_wipe_the_device(worker_client):
    response = worker_client.get(TODAY)

    assert response.status_code == 200
    assert "Clear-Site-Data" not in response


def test_a_visitor_who_never_signed_in_is_not_wiped(client, db):
    assert "Clear-Site-Data" not in client.get(LOGIN)
    assert "Clear-Site-Data" not in client.get(TODAY)


def test_a_session_cookie_the_server_does_not_know_wipes_the_device(client, db):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32

    response = client.get(TODAY)

    assert is_signed_out(response)
    assert response["Clear-Site-Data"] == WIPE


def test_the_wipe_comes_once_then_the_cookie_is_gone(worker_client, worker):
    worker.is_active = False
    worker.save(update_fields=["is_active"])

    first = worker_client.get(TODAY)
    second = worker_client.get(LOGIN)

    assert first["Clear-Site-Data"] == WIPE
    assert "Clear-Site-Data" not in second


def test_a_password_reset_in_progress_is_not_a_stale_sign_in(client, worker):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(worker.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(worker)])
    form_page = client.get(link)  # keeps the token in an anonymous session, then redirects

    response = client.get(form_page.url)

    assert response.status_code == 200
    assert "Clear-Site-Data" not in response


# ---- A deactivated user ------------------------------------------------------------------------------------------

def test_a_deactivated_users_next_request_signs_them_out_and_wipes_the_device(worker_client, worker):
    type(worker).objects.filter(pk=worker.pk).update(is_active=False)

    response = worker_client.get(TODAY)

    assert is_signed_out(response)
    assert response["Clear-Site-Data"] == WIPE
    assert SESSION_KEY not in worker_client.session


def test_a_deactivated_users_background_saving_is_refused_and_wipes_too(worker_client, worker):
    type(worker).objects.filter(pk=worker.pk).update(is_active=False)

    response = worker_client.get(reverse("offline:precache"), headers={"X-Offline-Precache": "1"})

    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert response["Clear-Site-Data"] == WIPE


# ---- Sign out everywhere -------------------------------------------------------------------------------------------

def test_the_profile_page_offers_to_sign_out_everywhere(worker_client):
    html = worker_client.get(PROFILE).content.decode()

    assert f'action="{EVERYWHERE}"' in html
    assert "Sign out everywhere" in html


def test_signing_out_everywhere_ends_the_session_on_another_device(worker, db):
    phone, laptop = Client(), Client()
    log_in(phone, keep=True)
    log_in(laptop)
    assert phone.get(TODAY).status_code == 200

    response = laptop.post(EVERYWHERE)

    assert response.status_code == 302 and response.url == LOGIN
    assert response["Clear-Site-Data"] == WIPE
    on_the_phone = phone.get(TODAY)
    assert is_signed_out(on_the_phone)
    assert on_the_phone["Clear-Site-Data"] == WIPE
    assert SESSION_KEY not in phone.session


def test_signing_out_everywhere_signs_this_device_out_too_and_says_so(worker_client):
    response = worker_client.post(EVERYWHERE, follow=True)

    assert response.redirect_chain == [(LOGIN, 302)]
    assert "You are signed out on every device." in response.content.decode()
    assert is_signed_out(worker_client.get(TODAY))


def test_after_signing_out_everywhere_the_user_can_log_in_again(worker, db):
    user_sign_out_everywhere(user=worker)
    client = Client()

    log_in(client)

    assert client.get(TODAY).status_code == 200


def test_signing_out_everywhere_leaves_other_users_signed_in(worker, owner, db):
    owners_phone = Client()
    owners_phone.force_login(owner)

    user_sign_out_everywhere(user=worker)

    assert owners_phone.get(TODAY).status_code == 200


def test_signing_out_everywhere_takes_a_post(worker_client):
    assert worker_client.get(EVERYWHERE).status_code == 405
    assert worker_client.get(TODAY).status_code == 200


def test_signing_out_everywhere_needs_a_login(client, db):
    response = client.post(EVERYWHERE)

    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_sessions_signed_before_the_token_existed_stay_valid(worker_client, worker):
    """An empty token gives Django's own session hash: deploying this signs nobody out."""
    from django.contrib.auth.base_user import AbstractBaseUser

    assert worker.session_token == ""
    assert worker.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(worker)
    assert worker_client.get(TODAY).status_code == 200
