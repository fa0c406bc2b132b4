"""Chromium itself says the app can be installed on the home screen."""

import pytest

from .conftest import log_in, wait_for_service_worker

pytestmark = pytest.mark.browser


def test_chromium_finds_the_app_installable(page, phone, live_server, people):
    log_in(page, live_server.url)
    wait_for_service_worker(page)
    cdp = phone.new_cdp_session(page)

    manifest = cdp.send("Page.getAppManifest")
    installability = cdp.send("Page.getInstallabilityErrors")

    assert manifest["url"].endswith("/manifest.webmanifest")
    assert manifest["errors"] == []
    # Playwright's contexts are incognito profiles, where Chromium never offers to install: not the app's doing.
    errors = [e["errorId"] for e in installability["installabilityErrors"] if e["errorId"] != "in-incognito"]
    assert errors == []


def test_the_service_worker_controls_the_whole_site(page, live_server, people):
    log_in(page, live_server.url)
    wait_for_service_worker(page)

    scope = page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope")

    assert scope == f"{live_server.url}/"
