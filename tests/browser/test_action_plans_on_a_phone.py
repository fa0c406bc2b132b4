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
