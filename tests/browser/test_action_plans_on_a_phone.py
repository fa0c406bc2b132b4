"""Action plans at a phone's size, in real Chromium: a field worker checks their step off without a reload."""

import pytest

from tests.actionplans.factories import ActionPlanFactory, ActionStepFactory
from tests.factories import UserFactory

from .conftest import log_in
from .pages import SMALL_TARGETS_JS, WIDEST_JS

pytestmark = pytest.mark.browser


def test_a_field_worker_checks_off_a_step_on_a_phone_without_a_reload(page, live_server, transactional_db):
    worker = UserFactory(username="will", first_name="Will", last_name="Worker", role="field_worker")
    plan = ActionPlanFactory(title="Keep the regulars")
    step = ActionStepFactory(plan=plan, assignee=worker, what="Leave a thank-you card", is_creative=True)
    ActionStepFactory(plan=plan, what="Someone else's step")
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    assert page.evaluate(WIDEST_JS) == []
    assert page.evaluate(SMALL_TARGETS_JS) == []
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator(f"#step-{step.pk}")
    row.get_by_role("button", name="Check off").click()

    row.get_by_role("button", name="Done").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert "1 of 2 steps done" in page.locator(f"#plan-progress-{plan.pk}").inner_text()
    assert "Will Worker changed the step" in page.locator("#plan-history").inner_text()
    assert csp_errors == []
    step.refresh_from_db()
    assert step.done_by == worker


def test_the_owner_reorders_steps_on_a_phone_without_a_reload(page, live_server, transactional_db):
    owner = UserFactory(username="will", first_name="Olivia", last_name="Owner", role="owner")
    plan = ActionPlanFactory(owner=owner)
    ActionStepFactory(plan=plan, what="First step", position=1)
    second = ActionStepFactory(plan=plan, what="Second step", position=2)
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    assert page.evaluate(SMALL_TARGETS_JS) == []
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Move up “Second step”").click()

    page.locator("#step-list li").first.filter(has_text="Second step").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert "(moved up)" in page.locator("#plan-history").inner_text()
    assert [s.pk for s in plan.steps.all()][0] == second.pk


AXE_SERIOUS_JS = """
async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
  .filter((v) => v.impact === "serious" || v.impact === "critical")
  .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)
"""


def test_the_plan_pages_have_no_serious_accessibility_problem(browser, axe_path, live_server, transactional_db):
    owner = UserFactory(username="will", first_name="Olivia", last_name="Owner", role="owner")
    plan = ActionPlanFactory(owner=owner)
    step = ActionStepFactory(plan=plan, assignee=owner, is_creative=True)
    ActionStepFactory(plan=plan, assignee=owner)
    # axe is injected from outside the page, so this context bypasses the page's CSP.
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 640})
    page = context.new_page()
    try:
        log_in(page, live_server.url)
        found = {}
        for path in ["/plans/", plan.get_absolute_url(), "/plans/new/", f"/plans/steps/{step.pk}/edit/",
                     "/plans/step-from-text/?text=Call+first"]:
            page.goto(f"{live_server.url}{path}")
            page.add_script_tag(path=axe_path)
            found[path] = page.evaluate(AXE_SERIOUS_JS)
    finally:
        context.close()
    assert found == {path: [] for path in found}
