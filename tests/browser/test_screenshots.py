"""Screenshots of the main pages at phone and desktop sizes, for README.md. Not a check: runs only when asked.

    .venv/bin/python scripts/screenshots.py        (writes docs/screenshots/*.png)
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory, UserFactory

from .conftest import DESKTOP, PHONE, log_in

# Collected only when SCREENSHOTS_DIR is set (tests/browser/conftest.py): scripts/screenshots.py sets it.
pytestmark = pytest.mark.browser


@pytest.fixture
def showroom(transactional_db):
    """A small landscaping business on a Monday morning."""
    worker = UserFactory(username="will", first_name="Will", last_name="Walker", role="field_worker")
    now, today = timezone.now(), timezone.localdate()
    hedges, weekly = TagFactory(name="hedges"), TagFactory(name="weekly")
    ada = CustomerFactory(
        name="Ada Lovelace", phone="+12025550142", email="ada@example.com", street="12 Analytical Way",
        town="Springfield", postcode="62704", status="active", assigned_to=worker, tags=[hedges, weekly],
        access_notes="Gate code 4321. Friendly dog (Babbage) in the back garden. Park on the street, not the drive.",
        wants="A tidy garden before the winter party", needs="The laurel hedge cut back hard",
        hard_needs="Hedge trimming, leaf clearing every two weeks", soft_needs="Text the day before; she works from home",
        key_points="Large back garden, laurel hedge along the north side", personality="Precise, likes a written plan",
    )
    InteractionFactory(customer=ada, user=worker, channel="visit", direction="outbound", amount_charged=Decimal(480),
                       occurred_at=now - datetime.timedelta(days=12), duration_seconds=2700,
                       asked_for="Trim the laurel hedge and clear the leaves", attitude=5,
                       we_said_did="Trimmed the hedge, cleared two bags of leaves", asked_for_referral=True)
    InteractionFactory(customer=ada, user=worker, channel="call", occurred_at=now - datetime.timedelta(days=30),
                       asked_for="A quote for the winter clean-up", attitude=4, duration_seconds=240)
    FollowUpFactory(customer=ada, assigned_to=worker, description="Send the quote for the spring planting",
                    due_date=today)
    people = [
        ("Grace Hopper", "+13125550199", "9 Compiler Road", "Bring the quote for the patio", 3),
        ("Alan Turing", "+14155550123", "1 Bletchley Lane", "Call once more about the lawn", -2),
        ("Katherine Johnson", "+17575550177", "3 Orbit Close", "Check the new turf has taken", 5),
        ("Linus Pauling", "+15035550111", "77 Helix Street", "", 0),
        ("Marie Curie", "+12125550166", "5 Radium Row", "", 0),
    ]
    for index, (name, phone, street, followup, days) in enumerate(people):
        customer = CustomerFactory(name=name, phone=phone, street=street, town="Springfield", status="active",
                                   tags=[weekly])
        if followup:
            FollowUpFactory(customer=customer, assigned_to=worker, description=followup,
                            due_date=today + datetime.timedelta(days=days))
        # Money, moods and a refund, so that Insights and the At-risk list have something to say
        InteractionFactory(customer=customer, user=worker, occurred_at=now - datetime.timedelta(hours=days * 5 + 30),
                           asked_for="Regular visit", channel="visit", duration_seconds=3600,
                           amount_charged=Decimal(40 + 30 * index), attitude=(2 if index == 4 else 4),
                           amount_refunded=Decimal(20 if index == 1 else 0))
    return {"worker": worker, "ada": ada}


def shoot(browser, live_server, showroom, size_name, size):
    out = Path(os.environ["SCREENSHOTS_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**size)
    page = context.new_page()
    ada = showroom["ada"]
    try:
        page.goto(f"{live_server.url}/login/")
        page.screenshot(path=out / f"login-{size_name}.png")
        log_in(page, live_server.url)
        for name, path in (("today", "/"), ("customers", "/customers/?q=555"), ("customer-card", f"/customers/{ada.pk}/"),
                           ("log-visit", f"/customers/{ada.pk}/log/?channel=visit"), ("insights", "/insights/"),
                           ("at-risk", "/insights/at-risk/")):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            # On a phone the whole card shows the order a worker reads it in at the door; the tab bar, fixed to the
            # bottom of the screen, goes to the end of the picture.
            full_page = name == "customer-card" and size is PHONE
            if full_page:
                page.evaluate("() => { document.querySelector('.app-tabbar').style.position = 'static'; }")
            page.screenshot(path=out / f"{name}-{size_name}.png", full_page=full_page)
    finally:
        context.close()


def test_phone_screenshots(browser, live_server, showroom):
    shoot(browser, live_server, showroom, "phone", PHONE)


def test_desktop_screenshots(browser, live_server, showroom):
    shoot(browser, live_server, showroom, "desktop", DESKTOP)
