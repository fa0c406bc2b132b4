"""Sessions fit lost phones: the idle timeout, "keep me signed in", sign out everywhere, and the wipe of a device
whose sign-in is over (Clear-Site-Data, and data-offline-wipe for the page script): everything when the sign-in
was ended on purpose, only the customer pages when it ended idle, so that the visits not yet sent stay."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.services import user_sign_out_everywhere
from accounts.sessions import IDLE_SIGN_OUT

LOGIN = reverse("login")
TODAY = reverse("today")
PROFILE = reverse("accounts:profile")
EVERYWHERE = reverse("accounts:sign_out_everywhere")
START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
IDLE = datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)
WIPE = '"cache", "storage"'
# Leaves "storage": IndexedDB holds the visits logged offline and not yet sent.
WIPE_PAGES = '"cache"'


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


def offline_wipe(response) -> str:
    """What the page tells the page script to drop from the phone (templates/offline/_head.html)."""
    return re.search(r'data-offline-wipe="([^"]*)"', response.content.decode()).group(1)


def sign_out_idle(clock, client):
    clock.shift(IDLE + datetime.timedelta(seconds=61))
    return client.get(TODAY)


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
    assert response["Clear-Site-Data"] == WIPE_PAGES
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


def test_the_session_cookie_outlives_the_idle_time_and_moves_on_with_use(clock, client, worker):
    # Far longer than the idle time, so that the server's idle check ends it and can say why (and tell the phone
    # to keep its visits) even when the phone comes back after a weekend.
    response = log_in(client)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE

    clock.shift(datetime.timedelta(hours=2))
    response = client.get(TODAY)

    # Saved again, so the browser keeps the cookie for another full age from now.
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_phone_back_after_a_weekend_is_told_it_was_signed_out_idle(clock, client, worker):
    log_in(client)
    clock.shift(datetime.timedelta(days=3))

    response = client.get(TODAY, follow=True)

    assert "You were signed out after a while without using the app." in response.content.decode()
    assert response.redirect_chain[0][0] == f"{LOGIN}?next={TODAY}"
    assert offline_wipe(response) == "pages"


def test_a_phone_back_after_the_sessions_age_is_told_its_sign_in_ended(clock, client, worker):
    log_in(client)
    clock.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))

    response = client.get(TODAY, follow=True)

    assert "Your sign-in on this device has ended. Please log in again." in response.content.decode()
    assert response.redirect_chain[0][1] == 302
    assert offline_wipe(response) == "all"


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


# ---- Why the sign-in ended decides the wipe ----------------------------------------------------------------------

def test_after_an_idle_sign_out_the_phone_drops_its_pages_and_keeps_its_visits(clock, client, worker):
    log_in(client)

    ended = sign_out_idle(clock, client)
    login_page = client.get(ended.url)

    assert ended["Clear-Site-Data"] == WIPE_PAGES
    assert offline_wipe(login_page) == "pages"
    # Said once: the pages that follow do not wipe again.
    assert "Clear-Site-Data" not in login_page


def test_the_password_reset_pages_after_an_idle_sign_out_keep_the_visits_too(clock, client, worker):
    log_in(client)
    sign_out_idle(clock, client)

    response = client.get(reverse("password_reset"))

    assert offline_wipe(response) == "pages"


def test_logging_out_tells_the_login_page_to_wipe_everything(worker_client):
    response = worker_client.post(reverse("logout"), follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert offline_wipe(response) == "all"


def test_signing_out_everywhere_tells_the_login_page_to_wipe_everything(worker_client):
    response = worker_client.post(EVERYWHERE, follow=True)

    assert offline_wipe(response) == "all"


def test_a_deactivated_users_login_page_says_wipe_everything(worker_client, worker):
    type(worker).objects.filter(pk=worker.pk).update(is_active=False)

    response = worker_client.get(TODAY, follow=True)

    assert offline_wipe(response) == "all"


def test_an_unknown_session_or_no_session_says_wipe_everything(client, db):
    assert offline_wipe(client.get(LOGIN)) == "all"

    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert offline_wipe(client.get(TODAY, follow=True)) == "all"


def test_a_signed_in_page_asks_for_no_wipe(worker_client):
    assert offline_wipe(worker_client.get(TODAY)) == ""


def test_deactivated_after_an_idle_sign_out_the_phone_loses_the_rest_at_its_next_contact(clock, client, worker):
    log_in(client)
    sign_out_idle(clock, client)
    type(worker).objects.filter(pk=worker.pk).update(is_active=False)

    next_contact = client.get(LOGIN)
    after = client.get(LOGIN)

    assert next_contact["Clear-Site-Data"] == WIPE
    assert offline_wipe(next_contact) == "all"
    assert "Clear-Site-Data" not in after
    assert offline_wipe(after) == "all"


def test_signed_out_everywhere_after_an_idle_sign_out_the_phone_loses_the_rest_too(clock, client, worker):
    log_in(client)
    sign_out_idle(clock, client)
    user_sign_out_everywhere(user=worker)

    next_contact = client.get(reverse("offline:service_worker"))

    assert next_contact["Clear-Site-Data"] == WIPE
    assert offline_wipe(client.get(LOGIN)) == "all"


def test_a_password_reset_after_an_idle_sign_out_keeps_the_visits(clock, client, worker):
    log_in(client)
    sign_out_idle(clock, client)
    worker.set_password("a new password nobody guesses")
    worker.save(update_fields=["password"])

    response = client.get(LOGIN)

    assert "Clear-Site-Data" not in response
    assert offline_wipe(response) == "pages"


def test_signing_in_again_forgets_the_idle_sign_out(clock, client, worker):
    log_in(client)
    sign_out_idle(clock, client)

    log_in(client)

    assert IDLE_SIGN_OUT not in client.session
    assert client.get(TODAY).status_code == 200
    assert offline_wipe(client.post(reverse("logout"), follow=True)) == "all"


def test_the_login_page_after_an_idle_sign_out_costs_one_query_more(clock, client, worker, django_assert_num_queries):
    log_in(client)
    sign_out_idle(clock, client)
    client.get(LOGIN)

    # The session; the user the idle sign-out remembers (still active, still the same sign-ins).
    with django_assert_num_queries(2):
        response = client.get(LOGIN)

    assert offline_wipe(response) == "pages"


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
