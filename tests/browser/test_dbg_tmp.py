import pytest
from tests.browser.conftest import *  # noqa
from tests.browser.test_on_site import *  # noqa


def test_dbg(logged_in, phone, live_server, people):
    page, ada = logged_in, people["ada"]
    logs = []
    page.on("console", lambda m: logs.append(m.text))
    page.on("request", lambda r: logs.append("REQ " + r.method + " " + r.url))
    page.on("response", lambda r: logs.append("RESP " + str(r.status) + " " + r.url))
    wait_for_service_worker(page)
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    assert wait_until(lambda: f"/customers/{ada.pk}/" in saved_cards(page))
    page.locator(".navbar-toggler").click()
    page.get_by_role("button", name="Log out").click()
    try:
        page.wait_for_url("**/login/", timeout=5000)
    finally:
        print("\n".join(logs[-30:]))
        print(page.url)
