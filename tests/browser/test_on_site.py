"""The on-site journey at a phone's size: find a customer, log a visit, read and log with no connection."""

import time

import pytest
from playwright.sync_api import expect

from followups.models import FollowUp
from interactions.models import Interaction
from tests.factories import UserFactory

from .conftest import log_in, log_out, wait_for_service_worker
from .pages import QUEUED_VISITS_JS, SAVED_CARDS_JS, in_days

pytestmark = pytest.mark.browser

# The service worker's list of saved customers, found where the page's shared configuration says it is.
SAVED_CUSTOMERS_JS = """
async () => {
  const config = JSON.parse(document.getElementById("offline-config").textContent);
  const hit = await caches.match(config.savedList, { cacheName: config.caches.saved });
  return hit ? await hit.json() : [];
}
"""


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def saved_cards(page):
    return page.evaluate(SAVED_CARDS_JS)


def test_a_worker_finds_logs_and_works_offline(logged_in, phone, live_server, people):
    page, ada, grace = logged_in, people["ada"], people["grace"]
    card, log_form = f"/customers/{ada.pk}/", f"/customers/{ada.pk}/log/"
    wait_for_service_worker(page)

    # Search as you type: results under the field, no page load.
    page.evaluate("() => { window.stillThisPage = true; }")
    page.locator("#nav-search").press_sequentially("555", delay=50)
    result = page.locator("#nav-search-results a", has_text="Ada Lovelace")
    result.wait_for()
    assert page.evaluate("() => window.stillThisPage") is True
    expect(page.locator("#nav-search-results a", has_text="Grace Hopper")).to_be_visible()
    result.click()
    page.wait_for_url(f"**{card}")

    # At the door: where and how to get in come before the profile; one tap to call.
    tops = [page.locator(f"section[aria-labelledby={name}-h]").bounding_box()["y"]
            for name in ("where", "followups", "timeline", "profile")]
    assert tops == sorted(tops)
    expect(page.get_by_text("Gate code 4321")).to_be_visible()
    expect(page.locator('a[href="tel:+12025550142"]').first).to_be_visible()
    expect(page.locator('.app-tabbar a', has_text="Ada Lovelace")).to_be_visible()

    # Log a visit with a follow-up.
    page.get_by_role("link", name="Log a visit").click()
    page.wait_for_url(f"**{log_form}?channel=visit")
    expect(page.locator("details.checklist-more")).not_to_have_attribute("open", "")  # the optional questions wait
    page.fill("#id_asked_for", "Rake the leaves")
    page.fill("#id_followup_description", "Send photos of the hedge")
    page.fill("#id_followup_due", in_days(2))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{card}")
    expect(page.get_by_text("Logged.")).to_be_visible()
    expect(page.locator("section[aria-labelledby=followups-h]").get_by_text("Send photos of the hedge")).to_be_visible()
    assert Interaction.objects.filter(customer=ada).count() == 2
    assert FollowUp.objects.filter(customer=ada, description="Send photos of the hedge").count() == 1

    # It is on Today.
    page.locator(".app-tabbar a", has_text="Today").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Send photos of the hedge")).to_be_visible()

    # The card viewed, its log form and this week's follow-up customer are on the phone.
    assert wait_until(lambda: {card, log_form, f"/customers/{grace.pk}/"} <= set(saved_cards(page)))

    # No connection: both cards can still be read.
    phone.set_offline(True)
    page.goto(f"{live_server.url}{card}")
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("this is the copy saved on this phone")).to_be_visible()
    expect(page.get_by_text("Gate code 4321")).to_be_visible()
    page.goto(f"{live_server.url}/customers/{grace.pk}/")
    expect(page.get_by_text("Park in the side street.")).to_be_visible()

    # A page that is not on the phone says what is available, and lists the saved customers.
    page.goto(f"{live_server.url}/customers/")
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    saved = page.locator("[data-offline-saved-list] a")
    saved.first.wait_for()
    assert set(saved.all_inner_texts()) >= {"Ada Lovelace", "Grace Hopper"}

    # Log a visit offline: it stays on the phone.
    page.goto(f"{live_server.url}{log_form}?channel=visit")
    page.fill("#id_asked_for", "Offline: cleared the gutters")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved on this phone — it will be sent when you are back online")).to_be_visible()
    assert page.evaluate(QUEUED_VISITS_JS) == 1
    assert Interaction.objects.filter(customer=ada).count() == 2

    # Back online: sent once, even when the page is reloaded and sends again.
    phone.set_offline(False)
    assert wait_until(lambda: Interaction.objects.filter(asked_for="Offline: cleared the gutters").exists())
    page.wait_for_function("() => document.documentElement.dataset.offlineSent === '1'")
    page.reload()
    page.goto(f"{live_server.url}{card}")
    expect(page.get_by_text("Offline: cleared the gutters")).to_be_visible()
    assert page.evaluate(QUEUED_VISITS_JS) == 0
    offline_visit = Interaction.objects.get(asked_for="Offline: cleared the gutters")
    assert offline_visit.channel == "visit"
    assert offline_visit.client_key is not None
    assert Interaction.objects.filter(customer=ada).count() == 3


def test_the_phone_keeps_a_list_of_the_customers_it_saved(logged_in, live_server, people):
    page, ada, grace = logged_in, people["ada"], people["grace"]
    wait_for_service_worker(page)

    page.goto(f"{live_server.url}/customers/{ada.pk}/")

    assert wait_until(lambda: {c["name"] for c in page.evaluate(SAVED_CUSTOMERS_JS)} == {"Ada Lovelace", "Grace Hopper"})
    listed = {c["name"]: c for c in page.evaluate(SAVED_CUSTOMERS_JS)}
    assert (listed["Ada Lovelace"]["card"], listed["Ada Lovelace"]["log"]) == (f"/customers/{ada.pk}/",
                                                                             f"/customers/{ada.pk}/log/")
    assert (listed["Grace Hopper"]["card"], listed["Grace Hopper"]["log"]) == (f"/customers/{grace.pk}/",
                                                                             f"/customers/{grace.pk}/log/")
    first_saved = listed["Ada Lovelace"]["savedAt"]

    # Viewed again: the same entry, saved later.
    page.reload()
    assert wait_until(lambda: [c["savedAt"] for c in page.evaluate(SAVED_CUSTOMERS_JS)
                               if c["name"] == "Ada Lovelace"] not in ([], [first_saved]))
    assert [c["name"] for c in page.evaluate(SAVED_CUSTOMERS_JS)].count("Ada Lovelace") == 1


def test_a_visit_kept_on_the_phone_is_sent_once_when_the_page_loads_online(logged_in, phone, live_server, people):
    page, ada = logged_in, people["ada"]
    wait_for_service_worker(page)
    page.goto(f"{live_server.url}/customers/{ada.pk}/log/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    phone.set_offline(True)
    page.fill("#id_asked_for", "Kept while offline")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone — it will be sent").wait_for()

    # The tab is closed before the connection comes back: the next page opened sends it.
    page.close()
    phone.set_offline(False)
    page = phone.new_page()
    page.goto(f"{live_server.url}/")
    assert wait_until(lambda: Interaction.objects.filter(asked_for="Kept while offline").count() == 1)
    page.get_by_text("1 visit saved on this phone was sent.").wait_for()
    page.goto(f"{live_server.url}/")
    page.wait_for_timeout(500)
    assert Interaction.objects.filter(asked_for="Kept while offline").count() == 1


def test_logging_out_clears_what_the_phone_keeps(logged_in, phone, live_server, people):
    page, ada = logged_in, people["ada"]
    wait_for_service_worker(page)
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    assert wait_until(lambda: f"/customers/{ada.pk}/" in saved_cards(page))

    log_out(page)
    page.wait_for_url("**/login/")
    # Clear-Site-Data "storage" removes the service worker too; the login page installs it again.
    wait_for_service_worker(page)

    assert saved_cards(page) == []
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('servicecrm:'))") == []
    phone.set_offline(True)
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    expect(page.get_by_text("Gate code 4321")).not_to_be_visible()


def test_a_cached_card_is_dropped_when_the_server_says_logged_out(logged_in, phone, live_server, people):
    """Belt and braces: a session ended elsewhere (no log-out click) still clears the phone on the next login page."""
    page, ada = logged_in, people["ada"]
    wait_for_service_worker(page)
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    assert wait_until(lambda: f"/customers/{ada.pk}/" in saved_cards(page))

    phone.clear_cookies()
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    page.wait_for_url("**/login/**")

    assert wait_until(lambda: saved_cards(page) == [])


def test_search_says_it_needs_a_connection_when_offline(logged_in, phone):
    page = logged_in
    phone.set_offline(True)

    page.locator("#nav-search").press_sequentially("ada", delay=30)

    expect(page.get_by_text("Search needs a connection")).to_be_visible()


def test_a_new_user_on_the_same_phone_starts_empty(browser, live_server, people):
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        log_in(page, live_server.url)
        wait_for_service_worker(page)
        page.goto(f"{live_server.url}/customers/{people['ada'].pk}/")
        log_out(page)
        page.wait_for_url("**/login/")
        UserFactory(username="olivia", role="owner")

        log_in(page, live_server.url, username="olivia")

        assert f"/customers/{people['ada'].pk}/" not in saved_cards(page)
        expect(page.locator(".app-tabbar a", has_text="Ada Lovelace")).to_have_count(0)
    finally:
        context.close()


def test_a_visit_whose_answer_was_lost_is_still_stored_once(logged_in, live_server, people):
    """The server stored the visit but the phone never heard back (signal lost): sent again later, stored once."""
    page, ada = logged_in, people["ada"]
    page.goto(f"{live_server.url}/customers/{ada.pk}/log/?channel=visit")

    def store_then_lose_the_answer(route):
        route.fetch()
        route.abort("internetdisconnected")

    page.route("**/offline/sync/interaction/", store_then_lose_the_answer)
    page.fill("#id_asked_for", "Answer lost on the way back")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved on this phone — it will be sent when you are back online")).to_be_visible()
    assert Interaction.objects.filter(asked_for="Answer lost on the way back").count() == 1

    page.unroute("**/offline/sync/interaction/")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("1 visit saved on this phone was sent.")).to_be_visible()
    assert page.evaluate(QUEUED_VISITS_JS) == 0
    assert Interaction.objects.filter(asked_for="Answer lost on the way back").count() == 1


def test_a_mistake_in_the_log_form_is_shown_beside_the_field_and_nothing_is_lost(logged_in, live_server, people):
    page, ada = logged_in, people["ada"]
    page.goto(f"{live_server.url}/customers/{ada.pk}/log/?channel=visit")

    page.fill("#id_asked_for", "Quote for the fence")
    page.fill("#id_followup_description", "Send the fence quote")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Say when the follow-up is due.")).to_be_visible()
    expect(page.locator("#id_asked_for")).to_have_value("Quote for the fence")
    expect(page.locator("#id_followup_description")).to_have_value("Send the fence quote")
    assert Interaction.objects.filter(asked_for="Quote for the fence").count() == 0
