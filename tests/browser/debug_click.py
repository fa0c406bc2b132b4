"""TEMPORARY debug harness: does the Log out click always submit? (to be deleted)"""

import pytest

pytestmark = pytest.mark.browser

INIT = """
(() => {
  window.__dbg = [];
  const note = (e) => {
    const t = e.target;
    const menu = document.getElementById("nav-menu");
    window.__dbg.push(e.type + " " + (t.tagName || "") + "." + (t.className || "").toString().slice(0, 30) + " '" + (t.textContent || "").trim().slice(0, 15) + "' menu=" + (menu && menu.className) + " t=" + Math.round(performance.now()));
  };
  ["pointerdown", "mousedown", "pointerup", "mouseup", "click", "touchstart", "touchend"].forEach((type) => document.addEventListener(type, note, true));
  document.addEventListener("submit", (e) => { note(e); e.preventDefault(); e.stopImmediatePropagation(); }, true);
})();
"""


def test_debug_click(logged_in, phone, live_server, people):
    page, ada = logged_in, people["ada"]
    phone.add_init_script(INIT)
    misses = 0
    for i in range(int(__import__("os").environ.get("DBG_N", "40"))):
        page.goto(f"{live_server.url}/customers/{ada.pk}/")
        page.locator(".navbar-toggler").click()
        page.get_by_role("button", name="Log out").click()
        page.wait_for_timeout(200)
        events = page.evaluate("() => window.__dbg")
        if not any(e.startswith("submit") for e in events):
            misses += 1
            print("MISS", i, *events, sep="\n  ")
    print("misses", misses)
    assert misses == 0
