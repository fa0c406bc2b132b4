"""The feedback link's rate limit behind the reverse proxy: one bucket per customer's real address,
not one for everyone (the proxy's), and not one a client can reset by writing X-Forwarded-For."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from feedback.tokens import token_for

from .factories import FeedbackRequestFactory

PROXY = "10.0.0.254"
ANNA = "203.0.113.7"
BEN = "198.51.100.9"
# At the start of a minute, so the one-minute window cannot roll over during a test.
NOW = datetime.datetime(2026, 3, 10, 12, 0, 5, tzinfo=datetime.UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def link(settings):
    settings.FEEDBACK_LINK_RATE_LIMIT = "3/m"
    return reverse("feedback:answer", args=[token_for(FeedbackRequestFactory())])


def _through_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach us through the proxy, which appended `forwarded_for`'s last entry."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_two_customers_behind_the_proxy_have_separate_buckets(settings, link):
    settings.TRUSTED_PROXY_COUNT = 1
    anna, ben = _through_proxy(ANNA), _through_proxy(BEN)

    annas = [anna.get(link).status_code for _ in range(4)]
    bens = [ben.get(link).status_code for _ in range(3)]

    assert annas == [200, 200, 200, 429]
    assert bens == [200, 200, 200]


def test_a_forged_header_cannot_reset_the_callers_bucket(settings, link):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        _through_proxy(ANNA).get(link)

    for forged in ("1.2.3.4", BEN, "garbage", "1.2.3.4, 5.6.7.8"):
        assert _through_proxy(f"{forged}, {ANNA}").get(link).status_code == 429, forged
    assert _through_proxy(BEN).get(link).status_code == 200


def test_a_forged_header_cannot_use_up_another_customers_bucket(settings, link):
    settings.TRUSTED_PROXY_COUNT = 1

    for _ in range(5):
        _through_proxy(f"{BEN}, {ANNA}").get(link)

    assert _through_proxy(BEN).get(link).status_code == 200


def test_without_the_proxy_setting_everyone_behind_the_proxy_shares_one_bucket(settings, link):
    # Why TRUSTED_PROXY_COUNT must be set behind a proxy: the connection's address is the proxy's.
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(3):
        _through_proxy(ANNA).get(link)

    assert _through_proxy(BEN).get(link).status_code == 429
