"""A lost phone: once its sign-in is over (signed out everywhere from another device, or the account deactivated),
its next contact with the server wipes the customers, visits and settings it keeps for offline use. A sign-in that
ended idle wipes the customers only: the visits logged offline wait for the user who logged them."""

from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import User
from accounts.sessions import LAST_SEEN
from interactions.models import Interaction
from tests.factories import UserFactory
from tests.services import wait_for

from .conftest import DESKTOP, log_in, wait_for_service_worker
from .pages import QUEUED_VISITS_JS, SAVED_CARDS_JS

pytestmark = pytest.mark.browser

VISIT = "Written down in the cellar"
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
    page.fill("#id_asked_for", VISIT)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved on this phone — it will be sent when you are back online")).to_be_visible()
    assert page.evaluate(QUEUED_VISITS_JS) == 1


def leave_the_phone_idle(phone):
    """The next morning: the phone's session was last used longer ago than the idle time."""
    key = next(cookie["value"] for cookie in phone.cookies() if cookie["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[LAST_SEEN] -= settings.SESSION_IDLE_TIMEOUT + 60
    session.save()


def open_the_app_online(phone, url):
    """The phone back online and the app opened: a new page at `url`.

    Chromium applies the switch back online to the service worker a moment later than to the pages: a navigation in
    that moment fails with net::ERR_FAILED, as a person would see once before the app opens. It is tried again."""
    phone.set_offline(False)
    page = phone.new_page()
    for attempt in range(10):
        try:
            page.goto(url)
            return page
        except PlaywrightError as error:
            if "net::ERR_" not in str(error) or attempt == 9:
                raise
            page.wait_for_timeout(200)
    return page


def come_back_after_the_idle_time(phone, live_server):
    """The app opened again with a connection: the idle session ends and the login page shows.

    The idle time passes while the phone is still offline: once it is online again, the service worker may send
    the queue at once, and with a session still alive that would be right, not what these tests look at."""
    leave_the_phone_idle(phone)
    page = open_the_app_online(phone, f"{live_server.url}/")
    page.wait_for_url("**/login/**")
    expect(page.get_by_text("You were signed out after a while without using the app.")).to_be_visible()
    return page


def assert_the_phone_has_no_cards(page, phone, live_server, people):
    wait_for(lambda: saved_cards(page) == [], timeout=10, what="the phone's saved cards to be dropped")
    wait_for_service_worker(page)
    phone.set_offline(True)
    page.goto(f"{live_server.url}/customers/{people['ada'].pk}/")
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    expect(page.get_by_text("Gate code 4321")).not_to_be_visible()
    phone.set_offline(False)



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
    page = open_the_app_online(phone, f"{live_server.url}/")
    page.wait_for_url("**/login/**")
    expect(page.get_by_text("Your sign-in on this device has ended.")).to_be_visible()

    assert_the_phone_keeps_nothing(page, phone, live_server, people)
    # The visit logged offline and never sent went with the phone's copy: the phone may be in anyone's hands.
    assert not Interaction.objects.filter(asked_for=VISIT).exists()


def test_after_an_idle_sign_out_the_cards_go_and_the_visit_is_sent_once_when_the_worker_is_back(
        logged_in, phone, live_server, people):
    page, ada = logged_in, people["ada"]
    keep_cards_on_the_phone(page, live_server, people)
    log_a_visit_offline(page, phone, live_server, ada)

    # Left in a pocket overnight; in the morning the app is opened again with a connection.
    page.close()
    page = come_back_after_the_idle_time(phone, live_server)

    # Before anyone signs in: the customers are gone from the phone, the visit waits and says so.
    expect(page.get_by_text("1 visit saved on this phone will be sent when you sign in.")).to_be_visible()
    assert page.evaluate(QUEUED_VISITS_JS) == 1
    assert_the_phone_has_no_cards(page, phone, live_server, people)
    assert not Interaction.objects.filter(asked_for=VISIT).exists()

    log_in(page, live_server.url)

    expect(page.get_by_text("1 visit saved on this phone was sent.")).to_be_visible()
    assert page.evaluate(QUEUED_VISITS_JS) == 0
    page.reload()
    expect(page.locator("#offline-pending")).to_have_count(0)
    visit = Interaction.objects.get(asked_for=VISIT)
    assert (visit.user, visit.customer) == (people["worker"], ada)


def test_someone_else_signing_in_after_an_idle_sign_out_does_not_send_the_visit_as_theirs(
        logged_in, phone, live_server, people):
    page, ada = logged_in, people["ada"]
    UserFactory(username="fiona", first_name="Fiona", role="field_worker")
    keep_cards_on_the_phone(page, live_server, people)
    log_a_visit_offline(page, phone, live_server, ada)
    page.close()
    page = come_back_after_the_idle_time(phone, live_server)

    # A colleague picks the phone up and signs in.
    log_in(page, live_server.url, username="fiona")

    expect(page.get_by_text("1 visit logged on this phone by someone else is kept for them")).to_be_visible()
    page.reload()
    expect(page.get_by_text("1 visit logged on this phone by someone else is kept for them")).to_be_visible()
    assert page.evaluate(QUEUED_VISITS_JS) == 1
    assert not Interaction.objects.filter(asked_for=VISIT).exists()

    # Fiona's sign-in ends idle too; Will signs in again on the phone: his visit goes, as his.
    page.close()
    page = come_back_after_the_idle_time(phone, live_server)
    log_in(page, live_server.url)

    expect(page.get_by_text("1 visit saved on this phone was sent.")).to_be_visible()
    visit = Interaction.objects.get(asked_for=VISIT)
    assert visit.user == people["worker"]


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
