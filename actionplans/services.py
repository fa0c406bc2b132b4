"""Writes for action plans and their steps. Keyword-only, validated, in a transaction.

`changed_by` names the person for the history; without it django-simple-history takes the user of the
current request (HistoryRequestMiddleware), which covers every view.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.conflicts import UNCHECKED, bump_version
from core.services import model_update

from .models import NEW_PLAN_DAYS, ActionPlan, ActionStep

PLAN_FIELDS = ["title", "audience_kind", "customer", "tag", "purpose", "owner", "start_date", "end_date", "status"]
STEP_FIELDS = ["what", "due_date", "assignee", "is_creative", "source"]


def _stamp(instance, changed_by, reason: str = ""):
    if changed_by is not None:
        instance._history_user = changed_by
    if reason:
        instance._change_reason = reason


@transaction.atomic
def plan_create(*, title: str, owner, start_date: datetime.date, end_date: datetime.date,
                audience_kind: str = ActionPlan.Audience.ALL, customer=None, tag=None, purpose: str = "",
                status: str = ActionPlan.Status.DRAFT, changed_by=None) -> ActionPlan:
    plan = ActionPlan(title=title, owner=owner, start_date=start_date, end_date=end_date, audience_kind=audience_kind,
                      customer=customer, tag=tag, purpose=purpose, status=status)
    plan.full_clean()
    _stamp(plan, changed_by)
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: ActionPlan, changed_by=None, **data) -> ActionPlan:
    """Saves those of PLAN_FIELDS in `data` that changed; nothing changed, nothing saved and no history entry."""
    plan = _locked_copy(plan, changed_by)
    audience_kind = data.get("audience_kind", plan.audience_kind)
    # clean() forgets the customer or tag that the audience does not use; naming them here saves the forgetting too.
    data = {**data, **dict.fromkeys(ActionPlan.unused_audience_fields(audience_kind))}
    return model_update(instance=plan, fields=PLAN_FIELDS, data=data)[0]


@transaction.atomic
def plan_delete(*, plan: ActionPlan, changed_by=None) -> None:
    # Steps go first, one by one, so each gets its "removed" history entry with the same author.
    for step in plan.steps.all():
        _stamp(step, changed_by)
        step.delete()
    _stamp(plan, changed_by)
    plan.delete()


@transaction.atomic
def step_create(*, plan: ActionPlan, what: str, due_date: datetime.date, assignee=None, is_creative: bool = False,
                source: str = "", changed_by=None) -> ActionStep:
    # Lock the plan so two steps added at once do not get the same position.
    ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
    last = plan.steps.aggregate(last=Max("position"))["last"]
    step = ActionStep(plan=plan, what=what, due_date=due_date, assignee=assignee, is_creative=is_creative,
                      source=source, position=(last or 0) + 1)
    step.full_clean()
    _stamp(step, changed_by)
    step.save()
    return step


@transaction.atomic
def step_update(*, step: ActionStep, changed_by=None, expected_version=UNCHECKED, **data) -> ActionStep:
    """Saves those of STEP_FIELDS in `data` that changed; nothing changed, nothing saved and no history entry.

    `expected_version` is the version the edit form was opened with: another one raises core.conflicts.Conflict.
    """
    return model_update(instance=_locked_copy(step, changed_by), fields=STEP_FIELDS, data=data,
                        expected_version=expected_version)[0]


def _locked_copy(instance, changed_by):
    """A fresh copy of the row, locked, carrying the history's author: what an update compares with.

    Not `instance` itself: a ModelForm has already written what was typed onto it, so nothing would look changed.
    """
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    _stamp(locked, changed_by)
    return locked


@transaction.atomic
def step_delete(*, step: ActionStep, changed_by=None) -> None:
    _stamp(step, changed_by)
    step.delete()


@transaction.atomic
def step_complete(*, step: ActionStep, user, note: str = "") -> ActionStep:
    """Checks the step off. Done twice (a double tap) changes nothing the second time."""
    step = ActionStep.objects.select_for_update().select_related("plan").get(pk=step.pk)
    if step.is_done:
        return step
    step.done_at = timezone.now()
    step.done_by = user
    step.done_note = (note or "").strip()
    _stamp(step, user)
    # Not compared with a version (checking off is its own, idempotent act), but counted: an open edit form notices.
    step.save(update_fields=["done_at", "done_by", "done_note", *bump_version(step)])
    return step


@transaction.atomic
def step_reopen(*, step: ActionStep, user) -> ActionStep:
    step = ActionStep.objects.select_for_update().select_related("plan").get(pk=step.pk)
    if not step.is_done:
        return step
    step.done_at = None
    step.done_by = None
    _stamp(step, user, reason="Reopened")
    step.save(update_fields=["done_at", "done_by", *bump_version(step)])
    return step


@transaction.atomic
def step_move(*, step: ActionStep, up: bool, changed_by=None) -> bool:
    """Swaps the step with its neighbour above (up) or below. Returns False when it is already at that end.

    Positions are renumbered 1..n in the current (position, id) order, so duplicates left by old data heal;
    only the rows whose position really changes are saved (and get a history entry).
    """
    ActionPlan.objects.select_for_update().filter(pk=step.plan_id).first()
    steps = list(ActionStep.objects.filter(plan_id=step.plan_id).order_by("position", "id"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(steps):
        return False
    steps[index], steps[other] = steps[other], steps[index]
    reason = "Moved up" if up else "Moved down"
    for new_position, moved in enumerate(steps, start=1):
        if moved.position != new_position:
            moved.position = new_position
            _stamp(moved, changed_by, reason=reason if moved.pk == step.pk else "Reordered")
            moved.save(update_fields=["position", *bump_version(moved)])
    return True


@transaction.atomic
def step_create_from_text(*, user, what: str, due_date: datetime.date, plan: ActionPlan | None = None,
                          new_plan_title: str = "", customer=None, assignee=None, is_creative: bool = False,
                          source: str = "", today: datetime.date | None = None) -> ActionStep:
    """"Make this a step" (an improvement heard in feedback, say): into `plan`, or else into a new draft plan.

    The new plan serves `customer` (everyone without one), is owned by `user`, and runs from today for
    NEW_PLAN_DAYS, stretched to include the step. Both are written or neither.
    """
    if plan is None:
        today = today or timezone.localdate()
        plan = plan_create(
            title=new_plan_title.strip(),
            owner=user,
            audience_kind=ActionPlan.Audience.CUSTOMER if customer else ActionPlan.Audience.ALL,
            customer=customer,
            start_date=min(today, due_date),
            end_date=max(today + datetime.timedelta(days=NEW_PLAN_DAYS), due_date),
            status=ActionPlan.Status.DRAFT,
            changed_by=user,
        )
    return step_create(plan=plan, what=what, due_date=due_date, assignee=assignee, is_creative=is_creative,
                       source=source, changed_by=user)
