"""Keep your customers: each customer's stay-in-touch cadence, and the At-risk rule.

An active customer is at risk when any of these holds (each becomes a reason on the list):
  overdue      no contact for longer than their cadence (counted from when they were added if never contacted)
  unhappy      their last interaction's attitude was 1 or 2
  refund       a refund in the last 90 days
  improvement  an improvement they suggested has had no action for 14 days
  thinning     fewer than half as many interactions in the last 180 days as in the 180 before (at least 2 before)

Everything is decided in one query: annotations (subqueries) and a WHERE over the five conditions. The same
rule feeds the At-risk page, the top of Today and the weekly email, so they never disagree.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.timezones import user_time_zone
from core.models import BusinessSettings
from customers.models import Customer
from feedback.models import FeedbackItem
from interactions.models import Interaction

REFUND_DAYS = 90
IMPROVEMENT_WAIT_DAYS = 14
THINNING_WINDOW_DAYS = 180
THINNING_MIN_BEFORE = 2
UNHAPPY_ATTITUDES = (Interaction.Attitude.VERY_UNHAPPY, Interaction.Attitude.UNHAPPY)
PAGE_SIZE = 50
TODAY_SIZE = 5

ONE_DAY = datetime.timedelta(days=1)


def _default_cadence(default_days: int | None):
    """The business default: a constant when the caller has read the settings, else read in the same query
    (so a card section costs one query), falling back to the model's default before the row exists."""
    if default_days is not None:
        return Value(default_days, output_field=IntegerField())
    stored = BusinessSettings.objects.filter(pk=1).values("default_cadence_days")[:1]
    return Coalesce(Subquery(stored), Value(BusinessSettings._meta.get_field("default_cadence_days").default))


def cadence_expression(default_days: int | None = None):
    """The customer's own "contact every N days", else the smallest among their tags', else the business's."""
    through = Customer.tags.through
    smallest_tag = (
        through.objects.filter(customer_id=OuterRef("pk"), tag__contact_every_days__isnull=False)
        .order_by()
        .values("customer_id")
        .annotate(smallest=Min("tag__contact_every_days"))
        .values("smallest")
    )
    return Coalesce(
        F("contact_every_days"), Subquery(smallest_tag, output_field=IntegerField()), _default_cadence(default_days),
        output_field=IntegerField(),
    )


def _latest_interaction(field: str):
    # Served by interaction_timeline_idx (customer, -occurred_at, -id).
    latest = Interaction.objects.filter(customer_id=OuterRef("pk")).order_by("-occurred_at", "-id").values(field)[:1]
    return Subquery(latest)


def last_contact_expression():
    """When the customer was last in touch with us: their latest interaction."""
    return _latest_interaction("occurred_at")


def _interaction_count(**window):
    counted = (
        Interaction.objects.filter(customer_id=OuterRef("pk"), **window)
        .order_by()
        .values("customer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_risk_annotations(queryset: QuerySet, *, now: datetime.datetime, default_cadence_days: int | None = None):
    """Every figure the rule and its reasons read, as annotations on customers."""
    recent_from = now - datetime.timedelta(days=THINNING_WINDOW_DAYS)
    earlier_from = recent_from - datetime.timedelta(days=THINNING_WINDOW_DAYS)
    waiting = FeedbackItem.objects.filter(
        feedback__customer_id=OuterRef("pk"),
        kind=FeedbackItem.Kind.IMPROVEMENT,
        followup__isnull=True,
        feedback__received_at__lte=now - datetime.timedelta(days=IMPROVEMENT_WAIT_DAYS),
    ).order_by("feedback__received_at", "feedback_id", "position")
    refunds = Interaction.objects.filter(
        customer_id=OuterRef("pk"),
        amount_refunded__gt=0,
        occurred_at__gte=now - datetime.timedelta(days=REFUND_DAYS),
        occurred_at__lte=now,
    ).order_by("-occurred_at", "-id")
    return queryset.annotate(
        cadence=cadence_expression(default_cadence_days),
        last_contact=last_contact_expression(),
        last_attitude=_latest_interaction("attitude"),
        last_refund_at=Subquery(refunds.values("occurred_at")[:1]),
        waiting_since=Subquery(waiting.values("feedback__received_at")[:1]),
        waiting_text=Subquery(waiting.values("text")[:1]),
        recent_interactions=_interaction_count(occurred_at__gte=recent_from, occurred_at__lte=now),
        earlier_interactions=_interaction_count(occurred_at__gte=earlier_from, occurred_at__lt=recent_from),
    ).annotate(
        # Never contacted: the clock starts when they were added, so a freshly imported book is not all overdue.
        due_at=ExpressionWrapper(
            Coalesce("last_contact", "created_at", output_field=DateTimeField())
            + ExpressionWrapper(F("cadence") * Value(ONE_DAY), output_field=DurationField()),
            output_field=DateTimeField(),
        ),
    )


def at_risk_condition(now: datetime.datetime) -> Q:
    """The five reasons, over with_risk_annotations()'s names."""
    return (
        Q(due_at__lt=now)
        | Q(last_attitude__in=UNHAPPY_ATTITUDES)
        | Q(last_refund_at__isnull=False)
        | Q(waiting_since__isnull=False)
        | Q(earlier_interactions__gte=THINNING_MIN_BEFORE, earlier_interactions__gt=F("recent_interactions") * 2)
    )


def at_risk_customers(
    *,
    now: datetime.datetime,
    assigned_to=None,
    with_unassigned: bool = False,
    default_cadence_days: int | None = None,
) -> QuerySet[Customer]:
    """Active customers at risk, the most overdue first. `assigned_to` None: everyone's; else that user's,
    and the unassigned too when `with_unassigned`. Do-not-contact customers are left out: the list is
    a list of people to call."""
    customers = Customer.objects.filter(status=Customer.Status.ACTIVE, do_not_contact=False)
    if assigned_to is not None:
        mine = Q(assigned_to=assigned_to)
        customers = customers.filter(mine | Q(assigned_to__isnull=True) if with_unassigned else mine)
    return (
        with_risk_annotations(customers, now=now, default_cadence_days=default_cadence_days)
        .filter(at_risk_condition(now))
        .select_related("assigned_to")
        .order_by("due_at", "id")
    )


def first_with_total(queryset: QuerySet, *, limit: int, offset: int = 0) -> tuple[list, int]:
    """A slice of the list and how many there are in all, in one query (the total rides on every row); a
    second query only for a slice past the end, which has no row to carry it."""
    rows = list(queryset.annotate(total_at_risk=Window(Count("id")))[offset : offset + limit])
    if rows:
        return rows, rows[0].total_at_risk
    return rows, (queryset.count() if offset else 0)


# ---------------------------------------------------------------------------------------------------------------
# Reasons, in plain words, from the annotations already on each row (no query).

@dataclass(frozen=True)
class Reason:
    code: str  # overdue, unhappy, refund, improvement, thinning
    text: str


def _local_date(moment: datetime.datetime, tz) -> datetime.date:
    return timezone.localtime(moment, tz).date()


def days_since(moment: datetime.datetime, *, today: datetime.date, tz) -> int:
    """Whole days between the moment's local date and today, in the viewer's zone."""
    return (today - _local_date(moment, tz)).days


def days_ago_text(days: int) -> str:
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}


def reasons_for(customer: Customer, *, now: datetime.datetime, tz) -> list[Reason]:
    """Every reason that applies to a customer annotated by with_risk_annotations()."""
    today = _local_date(now, tz)
    reasons = []
    if customer.due_at < now:
        every = customer.cadence
        if customer.last_contact:
            ago = days_ago_text(days_since(customer.last_contact, today=today, tz=tz))
            text = _("Last contact %(ago)s (due every %(every)d)") % {"ago": ago, "every": every}
        else:
            ago = days_ago_text(days_since(customer.created_at, today=today, tz=tz))
            text = _("No contact logged since added %(ago)s (due every %(every)d)") % {"ago": ago, "every": every}
        reasons.append(Reason("overdue", text))
    if customer.last_attitude in UNHAPPY_ATTITUDES:
        reasons.append(Reason("unhappy", _("Unhappy last time")))
    if customer.last_refund_at:
        day = _local_date(customer.last_refund_at, tz)
        reasons.append(Reason("refund", _("Refund on %(day)s") % {"day": f"{day.day} {day:%b}"}))
    if customer.waiting_since:
        days = days_since(customer.waiting_since, today=today, tz=tz)
        reasons.append(Reason("improvement", _("Improvement waiting %(days)d days: ‘%(text)s’")
                              % {"days": days, "text": customer.waiting_text}))
    before, recent = customer.earlier_interactions, customer.recent_interactions
    if before >= THINNING_MIN_BEFORE and recent * 2 < before:
        reasons.append(Reason("thinning", _("Fewer visits: %(recent)d in the last 6 months, %(before)d before")
                              % {"recent": recent, "before": before}))
    return reasons


def attach_reasons(customers: list[Customer], *, now: datetime.datetime, user) -> list[Customer]:
    tz = user_time_zone(user)
    for customer in customers:
        customer.risk_reasons = reasons_for(customer, now=now, tz=tz)
    return customers


# ---------------------------------------------------------------------------------------------------------------
# Whose list.

MINE, EVERYONE = "mine", "everyone"


def default_scope(user) -> str:
    """The owner looks after the whole book; a field worker starts with their own customers and the unassigned."""
    return EVERYONE if user.is_owner else MINE


def scoped_at_risk(*, user, scope: str, now: datetime.datetime, default_cadence_days: int | None = None):
    if scope == EVERYONE:
        return at_risk_customers(now=now, default_cadence_days=default_cadence_days)
    return at_risk_customers(now=now, assigned_to=user, with_unassigned=True,
                             default_cadence_days=default_cadence_days)

