"""axe-core (from npm, injected into the page) finds no serious or critical problem on the main pages."""

import pytest

from .conftest import PHONE, log_in

pytestmark = pytest.mark.browser

RUN_AXE_JS = """
async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}
"""


@pytest.fixture
def axe_page(browser, axe_path):
    # The pages allow scripts from 'self' only; axe is injected from outside, so this context bypasses the CSP.
    context = browser.new_context(bypass_csp=True, **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.axe_path = axe_path
    yield page
    context.close()


def violations(page):
    page.add_script_tag(path=page.axe_path)
    return page.evaluate(RUN_AXE_JS)


def test_the_main_pages_have_no_serious_accessibility_problem(axe_page, live_server, people):
    page, ada = axe_page, people["ada"]
    found = {}

    page.goto(f"{live_server.url}/login/")
    found["login"] = violations(page)
    log_in(page, live_server.url)
    for name, path in {
        "Today": "/",
        "customer list": "/customers/?q=555",
        "customer card": f"/customers/{ada.pk}/",
        "log form": f"/customers/{ada.pk}/log/?channel=visit",
        "offline page": "/offline/",
    }.items():
        page.goto(f"{live_server.url}{path}")
        found[name] = violations(page)

    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_quick_search_results_have_no_serious_accessibility_problem(axe_page, live_server, people):
    page = axe_page
    log_in(page, live_server.url)

    page.locator("#nav-search").press_sequentially("555", delay=30)
    page.locator("#nav-search-results a").first.wait_for()

    assert violations(page) == []
