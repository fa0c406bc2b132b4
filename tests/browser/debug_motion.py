"""TEMPORARY: how the Log out button moves while the menu opens (to be deleted)."""

import pytest

pytestmark = pytest.mark.browser


def test_debug_motion(logged_in, phone, live_server, people):
    page = logged_in
    page.goto(f"{live_server.url}/customers/{people['ada'].pk}/")
    page.evaluate("""() => { window.__m = []; const b = [...document.querySelectorAll('#nav-menu button')].find(x => x.textContent.includes('Log out'));
      const t0 = performance.now(); const f = () => { const r = b.getBoundingClientRect(); const m = document.getElementById('nav-menu');
      window.__m.push(Math.round(performance.now() - t0) + 'ms y=' + r.y.toFixed(1) + ' h=' + r.height.toFixed(1) + ' scrollY=' + scrollY + ' menuH=' + m.getBoundingClientRect().height.toFixed(0) + ' ' + m.className.replace('navbar-collapse order-md-3 flex-grow-0', '')
        + ' at=' + (document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) || {}).textContent?.trim().slice(0, 10));
      if (performance.now() - t0 < 600) requestAnimationFrame(f); }; requestAnimationFrame(f); }""")
    page.locator(".navbar-toggler").click()
    page.wait_for_timeout(800)
    print(*page.evaluate("() => window.__m"), sep="\n")
    print("innerHeight", page.evaluate("() => [innerHeight, document.documentElement.scrollHeight]"))
