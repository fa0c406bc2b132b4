"""Every change to a plan or its steps is kept and shown on the plan page: who, when, what changed."""

import datetime

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan, ActionStep

from .factories import ActionPlanFactory, ActionStepFactory

TODAY = datetime.date(2026, 11, 23)
NEW_END = datetime.date(2026, 12, 31)


def _edit_plan(client, plan, **changes):
    data = {"title": plan.title, "audience_kind": plan.audience_kind, "purpose": plan.purpose,
            "owner": plan.owner_id, "start_date": plan.start_date.isoformat(),
            "end_date": plan.end_date.isoformat(), "status": plan.status}
    data.update(changes)
    return client.post(reverse("actionplans:edit", args=[plan.pk]), data)


# The clock ticks so that the edit is recorded after the creation.
@pytest.mark.clock(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC), tick=True)
def test_editing_a_plan_records_who_changed_what(owner_client, owner):
    plan = ActionPlanFactory(owner=owner, title="Regulars", end_date=TODAY)

    _edit_plan(owner_client, plan, title="Regulars for life", end_date=NEW_END.isoformat())

    record = ActionPlan.history.filter(id=plan.pk).latest("history_date")
    assert record.history_user == owner
    delta = record.diff_against(record.prev_record)
    assert {(c.field, c.old, c.new) for c in delta.changes} == {
        ("title", "Regulars", "Regulars for life"),
        ("end_date", TODAY, NEW_END),
    }


def test_the_plan_page_shows_the_change_newest_first(owner_client, owner):
    plan = ActionPlanFactory(owner=owner, title="Regulars")
    _edit_plan(owner_client, plan, title="Regulars for life")
    step = ActionStepFactory(plan=plan, what="Call them")
    owner_client.post(reverse("actionplans:step_toggle", args=[step.pk]), {"note": "Answered"})

    page = owner_client.get(plan.get_absolute_url()).content.decode()
    history = page[page.index('id="plan-history"'):]

    assert "Olivia Owner</strong> changed the plan" in history
    assert "<del>Regulars</del> &rarr; <ins>Regulars for life</ins>" in history
    assert "<del>—</del> &rarr; <ins>Answered</ins>" in history
    assert history.index("Answered") < history.index("Regulars for life")


def test_history_shows_times_in_the_users_time_zone(owner_client, owner):
    owner.time_zone = "Asia/Tokyo"
    owner.save(update_fields=["time_zone"])
    plan = ActionPlanFactory(owner=owner)
    record = ActionPlan.history.get(id=plan.pk)
    ActionPlan.history.filter(pk=record.pk).update(
        history_date=datetime.datetime(2026, 11, 23, 23, 30, tzinfo=datetime.UTC)
    )
    page = owner_client.get(plan.get_absolute_url()).content.decode()
    assert "Tue 24 Nov 2026, 08:30" in page


def test_reordering_records_the_moved_steps_and_who_moved_them(owner_client, owner):
    plan = ActionPlanFactory(owner=owner)
    first = ActionStepFactory(plan=plan, what="First", position=1)
    second = ActionStepFactory(plan=plan, what="Second", position=2)

    owner_client.post(reverse("actionplans:step_move", args=[second.pk]), {"direction": "up"})

    moved = ActionStep.history.filter(id=second.pk).latest("history_date")
    pushed = ActionStep.history.filter(id=first.pk).latest("history_date")
    assert (moved.history_user, moved.history_change_reason, moved.position) == (owner, "Moved up", 1)
    assert (pushed.history_user, pushed.position) == (owner, 2)
    page = owner_client.get(plan.get_absolute_url()).content.decode()
    assert "changed the step “Second” (moved up)" in page
    assert "Order: <del>2</del> &rarr; <ins>1</ins>" in page


def test_a_removed_step_stays_in_the_history(owner_client, owner):
    plan = ActionPlanFactory(owner=owner)
    step = ActionStepFactory(plan=plan, what="Send a calendar")
    owner_client.post(reverse("actionplans:step_delete", args=[step.pk]))
    page = owner_client.get(plan.get_absolute_url()).content.decode()
    assert "removed the step “Send a calendar”" in page


def test_a_check_off_by_a_field_worker_is_recorded_with_their_name(worker_client, worker):
    step = ActionStepFactory(assignee=worker)
    worker_client.post(reverse("actionplans:step_toggle", args=[step.pk]))
    record = ActionStep.history.filter(id=step.pk).latest("history_date")
    assert record.history_user == worker
    assert record.done_by_id == worker.pk
