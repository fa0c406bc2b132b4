"""The Insights page in a real browser: at phone and desktop size, no console error (the CSP included), no serious
or critical axe problem, and nothing wider than the phone's screen but the tables' own scrolling boxes."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CustomerFactory, InteractionFactory, UserFactory

from .conftest import DESKTOP, PHONE, log_in
from .test_accessibility import RUN_AXE_JS, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def book(transactional_db):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner", role="owner")
    now = timezone.now()
    for i in range(12):
        customer = CustomerFactory(name=f"Customer {i:02d}", happy_to_be_reference=i % 3 == 0)
        for day in range(1, 4):
            InteractionFactory(customer=customer, user=owner, channel="visit" if day == 2 else "call",
                               occurred_at=now - datetime.timedelta(days=day * 7, hours=i), duration_seconds=600 * day,
                               amount_charged=100 * (12 - i) ** 2, resolved_first_contact=day == 1, attitude=5,
                               more_services_ideas="Clean the gutters" if day == 1 else "")
    return owner


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_insights_open_without_console_errors_or_serious_axe_problems(browser, axe_path, live_server, book, size):
    errors = []
    context = browser.new_context(**size)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server.url, username="olivia")
    page.on("console", lambda message: errors.append(f"{message.text} {message.location['url']}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/insights/")

    assert page.locator("h2").count() == 10
    assert page.locator("svg.insights-curve polyline").count() == 1
    assert page.locator("svg.insights-heat").count() == 2
    # Desktop Chromium asks for /favicon.ico on its own whatever the page links (the site has no such file)
    assert [error for error in errors if not error.endswith("/favicon.ico")] == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size["viewport"]["width"]
    context.close()

    # axe is injected from outside the site: a context that bypasses the CSP
    checked = browser.new_context(bypass_csp=True, **size)
    page = checked.new_page()
    page.axe_path = axe_path
    log_in(page, live_server.url, username="olivia")
    page.goto(f"{live_server.url}/insights/")
    if size is PHONE:
        assert violations(page) == []
    else:
        # The desktop menu's link colour is the site's (static/css/app.css), the same on every page: checked
        # there; this page's own content is checked here.
        page.add_script_tag(path=axe_path)
        assert page.evaluate(RUN_AXE_JS.replace("axe.run(document,", "axe.run({exclude: [['.app-nav']]},")) == []
    checked.close()
