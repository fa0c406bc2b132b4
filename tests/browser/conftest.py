"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server.

scripts/ensure_chromium.sh installs chromium and axe-core when they are missing; where it could not, these tests
skip and say what is missing. Run: .venv/bin/pytest tests/browser -m browser
"""

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, UserFactory
from tests.services import missing_part


def _serve_one_request_at_a_time_on_in_memory_sqlite():
    """The live server shares the test's in-memory SQLite connection with its threads; the service worker's
    background fetches then collide with page requests ("database table is locked"). Each request still gets its
    own thread (Chromium opens idle connections ahead of time, which would stall a single-threaded server), but
    the application runs for one request at a time. PostgreSQL keeps the fully threaded server."""
    import threading

    from django.conf import settings
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATimeServer(ThreadedWSGIServer):
        app_lock = threading.Lock()

        def set_app(self, application):
            def serialised(environ, start_response):
                with self.app_lock:
                    result = application(environ, start_response)
                    try:
                        return list(result)
                    finally:
                        if hasattr(result, "close"):
                            result.close()

            super().set_app(serialised)

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        LiveServerThread.server_class = OneRequestAtATimeServer


_serve_one_request_at_a_time_on_in_memory_sqlite()

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
# The screenshot generators run only from scripts/screenshots.py (which sets SCREENSHOTS_DIR): not collected otherwise,
# so that no run of the suite reports them as skipped.
collect_ignore = [] if os.environ.get("SCREENSHOTS_DIR") else ["test_screenshots.py"]

PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PASSWORD = "pw"


@pytest.fixture(scope="package")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing_part(f"Browser tests skipped: {CHROMIUM} is missing (scripts/ensure_chromium.sh installs Debian's chromium).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_part("Browser tests skipped: the playwright package is missing (pip install -r requirements-dev.txt).")
    # Playwright's sync API keeps an event loop running in this thread while it is started; the tests' ORM calls
    # are still synchronous. Allowed for as long as the browser runs, and no longer.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    except Exception as error:  # a broken browser install: say so instead of erroring every test
        manager.stop()
        _restore_env("DJANGO_ALLOW_ASYNC_UNSAFE", previous)
        missing_part(f"Browser tests skipped: Chromium at {CHROMIUM} did not start ({error}).")
    yield browser
    browser.close()
    manager.stop()
    _restore_env("DJANGO_ALLOW_ASYNC_UNSAFE", previous)


def _restore_env(name, value):
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@pytest.fixture
def axe_path():
    if not AXE.is_file():
        missing_part(f"Accessibility tests skipped: {AXE} is missing (scripts/ensure_chromium.sh runs npm ci).")
    return str(AXE)


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(phone):
    return phone.new_page()


@pytest.fixture
def people(transactional_db):
    """A field worker with a customer found by '555', and one with a follow-up later this week."""
    worker = UserFactory(username="will", first_name="Will", last_name="Worker", role="field_worker")
    ada = CustomerFactory(name="Ada Lovelace", phone="+12025550142", street="12 Analytical Way", town="Springfield",
                          access_notes="Gate code 4321. Friendly dog called Babbage.",
                          wants="A tidy garden before winter", soft_needs="Call before you come")
    InteractionFactory(customer=ada, user=worker, channel="visit", asked_for="Trim the laurel hedge",
                       occurred_at=timezone.now() - datetime.timedelta(days=14))
    grace = CustomerFactory(name="Grace Hopper", phone="+13125550199", street="9 Compiler Road", town="Arlington",
                            access_notes="Park in the side street.")
    FollowUpFactory(customer=grace, assigned_to=worker, description="Bring the quote for the patio",
                    due_date=timezone.localdate() + datetime.timedelta(days=3))
    return {"worker": worker, "ada": ada, "grace": grace}


def log_in(page, base_url, username="will"):
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def log_out(page):
    """Opens the collapsed menu and taps "Log out" once the menu has finished opening.

    While Bootstrap's collapse animates (about 350 ms) the button already has its final box, so Playwright finds it
    visible and stable, but it is clipped by the growing menu: the press can land on the button and the release on
    the link above it, and then the click goes to the list and the form is never sent. Bootstrap adds "show" when
    the animation ends."""
    from playwright.sync_api import expect

    page.locator(".navbar-toggler").click()
    expect(page.locator("#nav-menu")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    page.get_by_role("button", name="Log out").click()


def wait_for_service_worker(page):
    """Returns once the page is controlled by the active service worker (which has cached the shell by then)."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        # A page that started loading while the worker was activating is not claimed: the next load is.
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)


@pytest.fixture
def logged_in(page, live_server, people):
    log_in(page, live_server.url)
    return page


def pytest_report_header(config):
    found = "found" if shutil.which(CHROMIUM) else "MISSING"
    return f"browser tests: chromium {CHROMIUM} {found}; axe-core {'found' if AXE.is_file() else 'MISSING'}"
