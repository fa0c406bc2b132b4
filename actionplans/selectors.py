"""Reads for action plans that pages, the customer card, Today and the weekly email share."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from core.history import Change, display_value, record_changes
from core.lists import LIST_LIMIT, first_n_with_total
from customers.models import Customer, Tag

from .models import ActionPlan, ActionStep

DUE_SOON_DAYS = 7
CARD_NEXT_STEPS = 3

STATUS_RANK = Case(
    When(status=ActionPlan.Status.ACTIVE, then=Value(0)),
    When(status=ActionPlan.Status.DRAFT, then=Value(1)),
    When(status=ActionPlan.Status.DONE, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def with_progress(plans: QuerySet[ActionPlan], *, today: datetime.date) -> QuerySet[ActionPlan]:
    """Annotates steps_total, steps_done and steps_overdue (open and due before today)."""
    return plans.annotate(
        steps_total=Count("steps"),
        steps_done=Count("steps", filter=Q(steps__done_at__isnull=False)),
        steps_overdue=Count("steps", filter=Q(steps__done_at__isnull=True, steps__due_date__lt=today)),
    )


def plan_list(*, today: datetime.date) -> QuerySet[ActionPlan]:
    """Every plan, active first, then draft, done and archived; soonest ending first within each. One query."""
    plans = ActionPlan.objects.select_related("owner", "customer", "tag")
    return with_progress(plans, today=today).annotate(status_rank=STATUS_RANK).order_by(
        "status_rank", "end_date", "id"
    )


def plan_get(*, pk: int) -> ActionPlan | None:
    return ActionPlan.objects.filter(pk=pk).first()


def plan_for_page(*, pk: int, today: datetime.date) -> ActionPlan | None:
    """The plan with its progress and its steps in order (two queries), or None."""
    plans = with_progress(ActionPlan.objects.select_related("owner", "customer", "tag"), today=today).prefetch_related(
        Prefetch("steps", queryset=ActionStep.objects.select_related("assignee", "done_by").order_by("position", "id"))
    )
    return plans.filter(pk=pk).first()


def plan_progress(*, plan_id: int, today: datetime.date) -> ActionPlan:
    """Just the plan and its counts, for refreshing the progress bar after a check-off (one query)."""
    return with_progress(ActionPlan.objects.filter(pk=plan_id), today=today).get()


def step_get(*, pk: int) -> ActionStep | None:
    """The step with its plan, or None."""
    return ActionStep.objects.select_related("plan").filter(pk=pk).first()


def step_for_row(*, pk: int) -> ActionStep:
    """A step with everything its row on the plan page shows (one query)."""
    return ActionStep.objects.select_related("plan", "assignee", "done_by").get(pk=pk)


def customer_from_link(value) -> Customer | None:
    """The customer a "make this a step" link names (?customer=<id>), or None when it names none that exists."""
    return Customer.objects.filter(pk=value).first() if str(value or "").isdigit() else None


def plans_for_customer(*, customer: Customer, statuses=(ActionPlan.Status.ACTIVE,),
                       next_steps: int = CARD_NEXT_STEPS) -> list[ActionPlan]:
    """Plans that serve this customer: directly, through one of their tags, or all customers.

    Each plan carries `next_steps`: its first open steps in order. Two queries, plus one for the customer's
    tags unless they were prefetched (customers.selectors.customer_for_card does).
    """
    tag_ids = [tag.pk for tag in customer.tags.all()]
    serves = Q(audience_kind=ActionPlan.Audience.ALL) | Q(customer=customer)
    if tag_ids:
        serves |= Q(tag_id__in=tag_ids)
    open_steps = (
        ActionStep.objects.filter(done_at__isnull=True).select_related("assignee").order_by("position", "id")
    )[:next_steps]
    return list(
        ActionPlan.objects.filter(serves, status__in=statuses)
        .select_related("tag")
        .prefetch_related(Prefetch("steps", queryset=open_steps, to_attr="next_steps"))
        .order_by("end_date", "id")
    )


def steps_due_for_user(user, today: datetime.date) -> QuerySet[ActionStep]:
    """The user's open steps of active plans due in the next seven days (today included) or overdue.

    Soonest first; one query. Used by Today and the weekly email.
    """
    until = today + datetime.timedelta(days=DUE_SOON_DAYS - 1)
    return (
        ActionStep.objects.filter(
            assignee=user, done_at__isnull=True, due_date__lte=until, plan__status=ActionPlan.Status.ACTIVE
        )
        .select_related("plan")
        .order_by("due_date", "position", "id")
    )


@dataclass
class DueSteps:
    overdue: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    count: int = 0  # all of them, even beyond the limit

    @property
    def more(self) -> int:
        return self.count - len(self.overdue) - len(self.upcoming)


def due_steps_split(user, today: datetime.date, *, limit: int = LIST_LIMIT) -> DueSteps:
    """steps_due_for_user split into overdue and upcoming, at most `limit` listed: one query, two past the limit."""
    first = first_n_with_total(steps_due_for_user(user, today), limit)
    due = DueSteps(count=first["count"])
    for step in first["items"]:
        (due.overdue if step.due_date < today else due.upcoming).append(step)
    return due


# ---- History -------------------------------------------------------------------------------------------------

# What the history shows of each, in this order.
PLAN_HISTORY_FIELDS = ("title", "status", "audience_kind", "customer", "tag", "purpose", "owner", "start_date",
                       "end_date")
STEP_HISTORY_FIELDS = ("what", "due_date", "assignee", "position", "is_creative", "source", "done_at", "done_by",
                       "done_note")
USER_FIELDS = {"owner", "assignee", "done_by"}


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user: object
    subject: str  # "plan" or "step"
    label: str
    action: str  # "created", "changed" or "removed"
    reason: str = ""
    changes: list[Change] = field(default_factory=list)


def _display(name: str, value, model, lookups: dict):
    """A value as a person reads it: names for users, customers and tags, the rest as core.history shows it."""
    if value is None or value == "":
        return None
    if name in USER_FIELDS:
        return lookups["users"].get(value, _("someone removed"))
    if name == "customer":
        return lookups["customers"].get(value, _("a removed customer"))
    if name == "tag":
        return lookups["tags"].get(value, _("a removed tag"))
    return display_value(model._meta.get_field(name), value)


def plan_history(*, plan: ActionPlan) -> list[HistoryEntry]:
    """Every change to the plan and its steps (removed steps included), newest first, with what changed.

    Constant queries: plan records, step records (each with its author), all users (a small team), and one
    each for customers and tags only when the plan's audience ever named one.
    """
    plan_records = list(
        ActionPlan.history.filter(id=plan.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    step_records = list(
        ActionStep.history.filter(plan_id=plan.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    customer_ids = {r.customer_id for r in plan_records if r.customer_id}
    tag_ids = {r.tag_id for r in plan_records if r.tag_id}
    lookups = {
        "users": {user.pk: str(user) for user in get_user_model().objects.all()},
        "customers": {c.pk: str(c) for c in Customer.objects.filter(pk__in=customer_ids)} if customer_ids else {},
        "tags": {t.pk: str(t) for t in Tag.objects.filter(pk__in=tag_ids)} if tag_ids else {},
    }
    entries = []
    for records, subject, fields in (
        (plan_records, "plan", PLAN_HISTORY_FIELDS),
        (step_records, "step", STEP_HISTORY_FIELDS),
    ):
        previous_by_id = {}
        for record in records:
            model = record.instance_type
            previous = previous_by_id.get(record.id)
            previous_by_id[record.id] = record
            entry = HistoryEntry(
                when=record.history_date,
                user=record.history_user,
                subject=subject,
                label=record.title if subject == "plan" else record.what,
                action={"+": "created", "~": "changed", "-": "removed"}[record.history_type],
                reason=record.history_change_reason or "",
            )
            if record.history_type == "~" and previous is not None:
                entry.changes = record_changes(
                    record, previous, fields=fields,
                    display=lambda name, value, model=model: _display(name, value, model, lookups),
                )
                if not entry.changes and not entry.reason:
                    continue  # saved without a visible change
            entries.append(entry)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
