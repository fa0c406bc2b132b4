"""A lost phone: once its sign-in is over (signed out everywhere from another device, or the account deactivated),
its next contact with the server wipes the customers, visits and settings it keeps for offline use."""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import User
from interactions.models import Interaction
from tests.services import wait_for

from .conftest import DESKTOP, log_in, wait_for_service_worker
from .pages import QUEUED_VISITS_JS, SAVED_CARDS_JS

pytestmark = pytest.mark.browser

OUR_LOCAL_STORAGE_JS = "() => Object.keys(localStorage).filter((key) => key.startsWith('servicecrm:'))"


def saved_cards(page):
    try:
        return page.evaluate(SAVED_CARDS_JS)
    except PlaywrightError:
        return None  # a cache deleted while it was being read: the wipe is under way


def keep_cards_on_the_phone(page, live_server, people):
    """Signed in on the phone: this week's follow-up card (precache) and a card viewed are saved."""
    ada, grace = people["ada"], people["grace"]
    wait_for_service_worker(page)
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    expect(page.get_by_text("Gate code 4321")).to_be_visible()
    wait_for(lambda: {f"/customers/{ada.pk}/", f"/customers/{grace.pk}/"} <= set(saved_cards(page) or []),
             timeout=10, what="both cards saved on the phone")
    page.wait_for_function("() => Object.keys(localStorage).some((key) => key.startsWith('servicecrm:'))")


def log_a_visit_offline(page, phone, live_server, ada):
    phone.set_offline(True)
    page.goto(f"{live_server.url}/customers/{ada.pk}/log/?channel=visit")
    page.fill("#id_asked_for", "Written down in the cellar")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved on this phone — it will be sent when you are back online")).to_be_visible()
    assert page.evaluate(QUEUED_VISITS_JS) == 1


def assert_the_phone_keeps_nothing(page, phone, live_server, people):
    wait_for(lambda: saved_cards(page) == [], timeout=10, what="the phone's caches to be wiped")
    assert page.evaluate(QUEUED_VISITS_JS) == 0
    assert page.evaluate(OUR_LOCAL_STORAGE_JS) == []
    # With no connection the offline page lists nothing, and the card is not there to read.
    wait_for_service_worker(page)
    phone.set_offline(True)
    page.goto(f"{live_server.url}/offline/")
    expect(page.get_by_text("No customer is saved on this phone yet.")).to_be_visible()
    page.goto(f"{live_server.url}/customers/{people['ada'].pk}/")
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    expect(page.get_by_text("Gate code 4321")).not_to_be_visible()


def test_signing_out_everywhere_from_a_laptop_wipes_the_lost_phone(logged_in, phone, browser, live_server, people):
    page, ada = logged_in, people["ada"]
    keep_cards_on_the_phone(page, live_server, people)
    log_a_visit_offline(page, phone, live_server, ada)

    # The phone is lost. From a laptop, the worker signs out everywhere.
    laptop = browser.new_context(**DESKTOP)
    try:
        desk = laptop.new_page()
        log_in(desk, live_server.url)
        desk.goto(f"{live_server.url}/account/profile/")
        desk.get_by_role("button", name="Sign out everywhere").click()
        desk.wait_for_url(f"{live_server.url}/login/")
        expect(desk.get_by_text("You are signed out on every device.")).to_be_visible()
    finally:
        laptop.close()

    # The phone's next contact with the server, when the app is opened again: the login page, and nothing kept.
    page.close()
    phone.set_offline(False)
    page = phone.new_page()
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/login/**")
    expect(page.get_by_text("Your sign-in on this device has ended.")).to_be_visible()

    assert_the_phone_keeps_nothing(page, phone, live_server, people)
    # The visit logged offline and never sent went with the phone's copy: the phone may be in anyone's hands.
    assert not Interaction.objects.filter(asked_for="Written down in the cellar").exists()


def test_a_deactivated_workers_phone_loses_its_copy_at_its_next_contact(logged_in, phone, live_server, people):
    page = logged_in
    keep_cards_on_the_phone(page, live_server, people)

    User.objects.filter(pk=people["worker"].pk).update(is_active=False)
    page.goto(f"{live_server.url}/customers/{people['grace'].pk}/")
    page.wait_for_url("**/login/**")

    assert_the_phone_keeps_nothing(page, phone, live_server, people)


def test_a_background_save_answered_for_nobody_wipes_the_phone(logged_in, phone, live_server, people):
    """The next contact need not be a page: the service worker's precache, refused for want of a sign-in."""
    page = logged_in
    keep_cards_on_the_phone(page, live_server, people)
    page.goto(f"{live_server.url}/")
    wait_for_service_worker(page)

    User.objects.filter(pk=people["worker"].pk).update(is_active=False)
    page.evaluate("() => navigator.serviceWorker.controller.postMessage({ type: 'precache' })")

    wait_for(lambda: saved_cards(page) == [], timeout=10, what="the phone's caches to be wiped")
    assert page.evaluate(QUEUED_VISITS_JS) == 0


def test_the_offline_copy_works_with_private_no_cache_pages(logged_in, phone, live_server, people):
    page, ada = logged_in, people["ada"]
    wait_for_service_worker(page)

    response = page.goto(f"{live_server.url}/customers/{ada.pk}/")
    assert {"private", "no-cache"} <= {part.strip() for part in response.headers["cache-control"].split(",")}
    wait_for(lambda: f"/customers/{ada.pk}/" in (saved_cards(page) or []), timeout=10, what="the card saved")

    phone.set_offline(True)
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    expect(page.get_by_text("this is the copy saved on this phone")).to_be_visible()
    expect(page.get_by_text("Gate code 4321")).to_be_visible()
