"""Every main page at 360x640: nothing wider than the phone, every control big enough for a thumb."""

import pytest

from .conftest import log_in
from .pages import SMALL_TARGETS_JS, WIDEST_JS

pytestmark = pytest.mark.browser


def worker_pages(people):
    ada = people["ada"]
    return {
        "Today": "/",
        "customer list": "/customers/",
        "customer list searched": "/customers/?q=555",
        "customer card": f"/customers/{ada.pk}/",
        "log form": f"/customers/{ada.pk}/log/?channel=visit",
        "add a customer": "/customers/new/",
        "new follow-up": f"/customers/{ada.pk}/followups/new/",
        "profile": "/account/profile/",
        "offline page": "/offline/",
    }


def problems_in(page):
    found = {}
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    if width > 360:
        found["scroll width"] = f"{width}px: " + "; ".join(page.evaluate(WIDEST_JS))
    small = page.evaluate(SMALL_TARGETS_JS)
    if small:
        found["small targets"] = small
    return found


def test_the_login_page_fits_a_phone(page, live_server, people):
    page.goto(f"{live_server.url}/login/")

    assert problems_in(page) == {}


def test_every_main_page_fits_a_phone(page, live_server, people):
    log_in(page, live_server.url)
    problems = {}

    for name, path in worker_pages(people).items():
        page.goto(f"{live_server.url}{path}")
        found = problems_in(page)
        if found:
            problems[name] = found

    assert problems == {}


def test_the_quick_search_results_fit_a_phone(page, live_server, people):
    log_in(page, live_server.url)

    page.locator("#nav-search").press_sequentially("555", delay=30)
    page.locator("#nav-search-results a").first.wait_for()

    assert problems_in(page) == {}


def test_search_today_and_the_last_customer_are_always_one_tap_away(page, live_server, people):
    log_in(page, live_server.url)
    ada = people["ada"]
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    page.goto(f"{live_server.url}/customers/{ada.pk}/log/")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")

    tabs = page.locator(".app-tabbar a")
    assert tabs.all_inner_texts() == ["Today", "Search", "Ada Lovelace"]
    for index in range(3):
        box = tabs.nth(index).bounding_box()
        assert box["y"] + box["height"] <= 640 and box["height"] >= 44
    tabs.nth(2).click()
    page.wait_for_url(f"**/customers/{ada.pk}/")


def test_the_owners_extra_controls_fit_a_phone(page, live_server, people):
    from tests.factories import UserFactory

    UserFactory(username="olivia", role="owner")
    log_in(page, live_server.url, username="olivia")
    ada = people["ada"]
    problems = {}

    for path in ("/", f"/customers/{ada.pk}/", f"/customers/{ada.pk}/log/", f"/customers/{ada.pk}/edit/"):
        page.goto(f"{live_server.url}{path}")
        found = problems_in(page)
        if found:
            problems[path] = found

    assert problems == {}
