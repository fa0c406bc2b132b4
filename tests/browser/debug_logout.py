"""TEMPORARY debug harness for the flaky log-out tests (to be deleted)."""

import threading
import time

import pytest
from django.core.servers import basehttp
from django.test import testcases

from .conftest import wait_for_service_worker
from .test_on_site import saved_cards, wait_until

pytestmark = pytest.mark.browser
T0 = time.monotonic()
LOG = open("/tmp/lo/debug2.log", "a")


def log(*parts):
    LOG.write(f"{time.monotonic() - T0:9.3f} {threading.current_thread().name[:12]:12} " + " ".join(map(str, parts)) + "\n")
    LOG.flush()


def _server_log(self, format, *args):
    log("SERVER", format % args)


testcases.QuietWSGIRequestHandler.log_message = _server_log
basehttp.WSGIRequestHandler.log_message = _server_log

INIT = """
(() => {
  const orig = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () { console.log("DBG native submit " + this.action); return orig.call(this); };
  const origDel = indexedDB.deleteDatabase.bind(indexedDB);
  indexedDB.deleteDatabase = function (name) {
    console.log("DBG deleteDatabase " + name);
    const r = origDel(name);
    r.addEventListener("success", () => console.log("DBG deleteDatabase success"));
    r.addEventListener("error", () => console.log("DBG deleteDatabase error"));
    r.addEventListener("blocked", () => console.log("DBG deleteDatabase blocked"));
    return r;
  };
  document.addEventListener("submit", (e) => console.log("DBG submit event " + e.target.action + " prevented=" + e.defaultPrevented), true);
  ["pointerdown", "mousedown", "pointerup", "mouseup", "click", "touchstart", "touchend"].forEach((type) => document.addEventListener(type, (e) => { const m = document.getElementById("nav-menu"); console.log("DBG " + e.type + " " + e.target.tagName + " '" + (e.target.textContent || "").trim().slice(0, 12) + "' menu=" + (m && m.className)); }, true));
  window.addEventListener("pagehide", () => console.log("DBG pagehide " + location.pathname));
})();
"""


@pytest.mark.parametrize("n", range(int(__import__("os").environ.get("DBG_N", "10"))))
def test_debug_logout(n, logged_in, phone, live_server, people):
    page, ada = logged_in, people["ada"]
    log("===== run", n)
    phone.add_init_script(INIT)
    phone.on("console", lambda m: log("CONSOLE", m.type, m.text, m.location.get("url", "")[-30:] if m.location else ""))
    phone.on("request", lambda r: log("REQ", r.method, r.url[-40:], "nav" if r.is_navigation_request() else "", "sw" if r.service_worker else ""))
    phone.on("requestfinished", lambda r: log("FIN", r.method, r.url[-40:]))
    phone.on("requestfailed", lambda r: log("FAIL", r.method, r.url[-40:], r.failure))
    page.on("framenavigated", lambda f: log("NAVIGATED", f.url[-40:]) if f == page.main_frame else None)
    page.on("load", lambda p: log("LOAD", p.url[-40:]))
    phone.on("serviceworker", lambda w: (log("SW", w.url), w.on("console", lambda m: log("SWCONSOLE", m.text))))
    wait_for_service_worker(page)
    log("SW ready")
    page.goto(f"{live_server.url}/customers/{ada.pk}/")
    log("card loaded")
    assert wait_until(lambda: f"/customers/{ada.pk}/" in saved_cards(page))
    log("card saved")
    phone.tracing.start(screenshots=True, snapshots=True)
    from .conftest import log_out
    log_out(page)
    log("logout clicked")
    try:
        page.wait_for_url("**/login/", timeout=20_000)
        log("login reached")
        phone.tracing.stop()
    except Exception:
        log("TIMEOUT url=", page.url)
        log("state", page.evaluate("""async () => ({
          controller: !!navigator.serviceWorker.controller,
          reg: (await navigator.serviceWorker.getRegistration()) && (await navigator.serviceWorker.getRegistration()).active?.state,
          cards: (await caches.keys()),
        })"""))
        phone.tracing.stop(path=f"/tmp/lo/trace-{n}.zip")
        raise
    assert saved_cards(page) == []
