"""The Insights figures are kept a few minutes per period, member, zone and role, and say when they were computed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from insights.page import Insights
from tests.factories import CustomerFactory, InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.INSIGHTS_CACHE_SECONDS = 300
    # A cache of this process, whose expiry follows the frozen clock (Redis, with REDIS_URL, keeps its own time).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "insights"}}
    cache.clear()
    yield
    cache.clear()


def visit(amount):
    return InteractionFactory(customer=CustomerFactory(), channel="visit", amount_charged=Decimal(amount),
                              occurred_at=timezone.now() - datetime.timedelta(days=2))


def test_the_second_look_reads_the_kept_figures_and_a_new_visit_shows_after_they_expire(owner_client, kept,
                                                                                       monkeypatch):
    computed = []
    original = Insights.blocks
    monkeypatch.setattr(Insights, "blocks", lambda self: computed.append(1) or original(self))
    visit(100)
    start = datetime.datetime.now(datetime.UTC)
    url = reverse("insights:page")

    with time_machine.travel(start, tick=False):
        owner_client.get(url)
        visit(900)
        kept_page = owner_client.get(url).content.decode()
    with time_machine.travel(start + datetime.timedelta(seconds=301), tick=False):
        fresh_page = owner_client.get(url).content.decode()

    assert len(computed) == 2  # the first look and the one after the figures expired
    assert "1,000.00" not in kept_page and "1,000" not in kept_page
    assert "1,000" in fresh_page
    assert f"Figures as of {timezone.localtime(start):%H:%M}" in kept_page


def test_a_field_worker_never_gets_the_owners_kept_figures(owner_client, worker, client, kept):
    visit(1234)
    owner_page = owner_client.get(reverse("insights:page")).content.decode()
    client.force_login(worker)

    worker_page = client.get(reverse("insights:page")).content.decode()

    assert "1,234" in owner_page
    assert "1,234" not in worker_page
