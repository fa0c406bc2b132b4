"""Login lockout (django-axes): 10 failures for one account from one client address lock that pair for
15 minutes, on the login page and the admin login; elsewhere the account still signs in; a forged
X-Forwarded-For can neither dodge a lock nor spread one onto someone else's address."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
LOCKED_MESSAGE = "Too many failed sign-ins from here for this account."

HERE = "203.0.113.7"
ELSEWHERE = "198.51.100.9"
PROXY = "10.0.0.254"

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def mia(db):
    return UserFactory(username="mia", password="right-password", role="field_worker")


def _sign_in(address, username, password, *, url=LOGIN, **headers):
    """One attempt from a fresh browser at `address`: (status, signed in?, response)."""
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(url, {"username": username, "password": password})
    return response.status_code, SESSION_KEY in client.session, response


def _fail(times, address, username, *, url=LOGIN, **headers):
    """`times` wrong passwords; returns the statuses."""
    return [_sign_in(address, username, "wrong", url=url, **headers)[0] for _ in range(times)]


def _page(response) -> str:
    """What the user sees in the page's main part (the CSRF token elsewhere differs per request)."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_the_limit_is_ten_failures_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)


def test_after_ten_failures_even_the_right_password_is_refused_from_that_address(mia):
    assert _fail(9, HERE, "mia") == [200] * 9
    _fail(1, HERE, "mia")

    eleventh = _sign_in(HERE, "mia", "wrong")
    right = _sign_in(HERE, "mia", "right-password")

    assert eleventh[:2] == (429, False)
    assert right[:2] == (429, False)
    html = right[2].content.decode()
    assert LOCKED_MESSAGE in html
    assert "Try again in 15 minutes, or ask the owner to lift the lock." in html
    assert 'name="viewport"' in html and "css/app.css" in html  # the app's own page, made for a phone


def test_nine_failures_do_not_lock(mia):
    _fail(9, HERE, "mia")

    assert _sign_in(HERE, "mia", "right-password")[:2] == (302, True)


def test_the_lock_ends_fifteen_minutes_after_the_last_attempt(mia):
    _fail(10, HERE, "mia")

    with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
        assert _sign_in(HERE, "mia", "right-password")[:2] == (302, True)


def test_an_attempt_during_the_lock_starts_the_fifteen_minutes_again(mia):
    _fail(10, HERE, "mia")

    with time_machine.travel(NOW + datetime.timedelta(minutes=14), tick=False):
        assert _sign_in(HERE, "mia", "right-password")[:2] == (429, False)
    with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
        assert _sign_in(HERE, "mia", "right-password")[:2] == (429, False)
    with time_machine.travel(NOW + datetime.timedelta(minutes=16 + 16), tick=False):
        assert _sign_in(HERE, "mia", "right-password")[:2] == (302, True)


def test_the_same_account_from_another_address_still_signs_in(mia):
    _fail(10, HERE, "mia")

    assert _sign_in(ELSEWHERE, "mia", "right-password")[:2] == (302, True)
    assert _sign_in(HERE, "mia", "right-password")[:2] == (429, False)


def test_another_account_from_the_locked_address_still_signs_in(mia):
    UserFactory(username="noah", password="noahs-password")
    _fail(10, HERE, "mia")

    assert _sign_in(HERE, "noah", "noahs-password")[:2] == (302, True)


def test_a_made_up_username_gets_the_same_answers(mia):
    real = _fail(11, HERE, "mia")
    made_up = _fail(11, HERE, "nobody-by-this-name")

    assert made_up == real
    assert real[-1] == 429
    locked_real = _sign_in(HERE, "mia", "wrong")[2]
    locked_made_up = _sign_in(HERE, "nobody-by-this-name", "wrong")[2]
    assert _page(locked_made_up) == _page(locked_real)
    assert "nobody-by-this-name" not in locked_made_up.content.decode()


def test_the_admin_login_locks_the_owner_too():
    UserFactory(username="olivia", password="owners-password", role="owner")

    _fail(10, HERE, "olivia", url=ADMIN_LOGIN)
    locked = _sign_in(HERE, "olivia", "owners-password", url=ADMIN_LOGIN)

    assert locked[:2] == (429, False)
    assert LOCKED_MESSAGE in locked[2].content.decode()
    assert _sign_in(ELSEWHERE, "olivia", "owners-password", url=ADMIN_LOGIN)[:2] == (302, True)


def test_failures_on_the_admin_login_and_the_login_page_count_together():
    UserFactory(username="olivia", password="owners-password", role="owner")

    _fail(5, HERE, "olivia", url=ADMIN_LOGIN)
    _fail(5, HERE, "olivia")

    assert _sign_in(HERE, "olivia", "owners-password")[:2] == (429, False)


# Behind one trusted reverse proxy: it appends the address it received the request from, so the real
# client is the last entry of X-Forwarded-For; anything before it the client wrote itself.

def _through_proxy(forwarded_for: str) -> dict:
    return {"HTTP_X_FORWARDED_FOR": forwarded_for}


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_the_proxy_each_client_has_its_own_lock(mia, one_proxy):
    _fail(10, PROXY, "mia", **_through_proxy(HERE))

    assert _sign_in(PROXY, "mia", "right-password", **_through_proxy(HERE))[:2] == (429, False)
    assert _sign_in(PROXY, "mia", "right-password", **_through_proxy(ELSEWHERE))[:2] == (302, True)


def test_a_forged_header_cannot_dodge_a_lock(mia, one_proxy):
    _fail(10, PROXY, "mia", **_through_proxy(f"1.2.3.4, {HERE}"))

    for forged in ("5.6.7.8", ELSEWHERE, "not-an-address", "1.2.3.4, 5.6.7.8"):
        status, signed_in, _ = _sign_in(PROXY, "mia", "right-password", **_through_proxy(f"{forged}, {HERE}"))
        assert (status, signed_in) == (429, False), forged


def test_a_forged_header_cannot_spread_a_lock_onto_another_client(mia, one_proxy):
    # The attacker at HERE writes the victim's address in front of its own, changing it every time.
    for _ in range(10):
        _sign_in(PROXY, "mia", "wrong", **_through_proxy(f"{ELSEWHERE}, {HERE}"))

    assert _sign_in(PROXY, "mia", "right-password", **_through_proxy(ELSEWHERE))[:2] == (302, True)
    assert _sign_in(PROXY, "mia", "right-password", **_through_proxy(HERE))[:2] == (429, False)


def test_without_a_trusted_proxy_the_header_is_ignored(mia):
    _fail(10, HERE, "mia", **_through_proxy("1.2.3.4"))

    assert _sign_in(HERE, "mia", "right-password", **_through_proxy(ELSEWHERE))[:2] == (429, False)
