"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server.

scripts/ensure_chromium.sh installs chromium and axe-core when they are missing; where it could not, these tests
skip and say what is missing. Run: .venv/bin/pytest tests/browser -m browser
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, UserFactory

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by the tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _serve_one_request_at_a_time_on_in_memory_sqlite():
    """The live server shares the test's in-memory SQLite connection with its threads; the service worker's
    background fetches then collide with page requests ("database table is locked"). One request at a time avoids
    that; PostgreSQL keeps the threaded server."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATimeServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # LiveServerThread.run has already given its own thread the test's connections.
            super().__init__(*args, **kwargs)

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        LiveServerThread.server_class = OneAtATimeServer


_serve_one_request_at_a_time_on_in_memory_sqlite()

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PASSWORD = "pw"


@pytest.fixture(scope="session")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"Browser tests skipped: {CHROMIUM} is missing (scripts/ensure_chromium.sh installs Debian's chromium).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Browser tests skipped: the playwright package is missing (pip install -r requirements-dev.txt).")
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    except Exception as error:  # a broken browser install: say so instead of erroring every test
        manager.stop()
        pytest.skip(f"Browser tests skipped: Chromium at {CHROMIUM} did not start ({error}).")
    yield browser
    browser.close()
    manager.stop()


@pytest.fixture
def axe_path():
    if not AXE.is_file():
        pytest.skip(f"Accessibility tests skipped: {AXE} is missing (scripts/ensure_chromium.sh runs npm ci).")
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


def wait_for_service_worker(page):
    """Resolves once the page is controlled by the service worker and it has cached the shell."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15_000)


@pytest.fixture
def logged_in(page, live_server, people):
    log_in(page, live_server.url)
    return page


def pytest_report_header(config):
    found = "found" if shutil.which(CHROMIUM) else "MISSING"
    return f"browser tests: chromium {CHROMIUM} {found}; axe-core {'found' if AXE.is_file() else 'MISSING'}"
