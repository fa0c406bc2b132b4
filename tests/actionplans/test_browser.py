"""On a phone-size screen, a field worker checks their step off without the page reloading."""

import pytest

from tests.browser.conftest import browser, log_in, page, phone  # noqa: F401  (shared Chromium fixtures)
from tests.factories import UserFactory

from .factories import ActionPlanFactory, ActionStepFactory

pytestmark = pytest.mark.browser


def test_a_field_worker_checks_off_a_step_on_a_phone_without_a_reload(page, live_server, transactional_db):  # noqa: F811
    worker = UserFactory(username="will", first_name="Will", last_name="Worker", role="field_worker")
    plan = ActionPlanFactory(title="Keep the regulars")
    step = ActionStepFactory(plan=plan, assignee=worker, what="Leave a thank-you card", is_creative=True)
    ActionStepFactory(plan=plan, what="Someone else's step")
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator(f"#step-{step.pk}")
    button = row.get_by_role("button", name="Check off")
    box = button.bounding_box()
    assert box["height"] >= 44  # a thumb-size target at 360px wide
    button.click()

    row.get_by_role("button", name="Done").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert "1 of 2 steps done" in page.locator(f"#plan-progress-{plan.pk}").inner_text()
    assert "Will Worker changed the step" in page.locator("#plan-history").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    step.refresh_from_db()
    assert step.done_by == worker
