"""The figures behind the Insights page: each one aggregated in the database, a fixed number of queries per block.

Every interaction figure starts from the interactions of the period (served by interaction_recent_idx on
occurred_at), grouped in SQL; lists are cut to their first rows in SQL too. `member` narrows the interaction
figures to what that team member logged, and the customer lists to the customers they look after.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, RowNumber, TruncMonth

from accounts.models import User
from customers.models import Customer
from feedback.models import Feedback, FeedbackItem
from followups.models import FollowUp
from interactions.models import Interaction

from .at_risk import cadence_expression
from .forms import Period

MONEY = DecimalField(max_digits=14, decimal_places=2)
NET = ExpressionWrapper(F("amount_charged") - F("amount_refunded"), output_field=MONEY)
ZERO = Value(Decimal("0"), output_field=MONEY)
TOP = 10
LIST_LIMIT = 20
CURVE_POINTS = 20
LEAST_PROFITABLE_MIN_INTERACTIONS = 3
SETUP_INTERACTIONS = 3
POTENTIAL_DAYS = 180
POSITIVE_ATTITUDES = (Interaction.Attitude.HAPPY, Interaction.Attitude.DELIGHTED)
CALL, VISIT = Interaction.Channel.CALL, Interaction.Channel.VISIT


class RunningSum(Func):
    """SUM(...) as a window function over the groups of a GROUP BY query (Django's Sum refuses an aggregate)."""

    function = "SUM"
    window_compatible = True
    output_field = MONEY


def interactions_in(period: Period, member: User | None = None) -> QuerySet[Interaction]:
    """The period's interactions (and the member's only, when one is chosen), unordered for grouping."""
    interactions = Interaction.objects.filter(occurred_at__gte=period.start, occurred_at__lt=period.end)
    if member is not None:
        interactions = interactions.filter(user=member)
    return interactions.order_by()


def customers_of(member: User | None) -> QuerySet[Customer]:
    customers = Customer.objects.all()
    return customers if member is None else customers.filter(assigned_to=member)


def customer_names(ids) -> dict[int, Customer]:
    """The customers the lists name, in one query."""
    return Customer.objects.only("id", "name", "company", "kind").in_bulk(set(ids))


def _per_customer(period: Period, member: User | None) -> QuerySet:
    return interactions_in(period, member).values("customer_id").annotate(
        revenue=Coalesce(Sum(NET), ZERO),
        interactions=Count("id"),
        visits=Count("id", filter=Q(channel=VISIT)),
        seconds=Coalesce(Sum("duration_seconds"), 0),
    )


# ---------------------------------------------------------------------------------------------------------------
# 1. 80/20 of revenue

@dataclass
class Pareto:
    customers: int = 0  # customers who brought revenue in the period
    total: Decimal = Decimal("0")
    needed: int = 0  # how many of them, the best first, bring 80 % of it
    top: list = field(default_factory=list)  # dicts: customer_id, revenue, visits, seconds
    curve: list = field(default_factory=list)  # (share of customers, share of revenue), 0..1, from (0, 0)

    @property
    def needed_share(self) -> float:
        return self.needed / self.customers if self.customers else 0.0


def revenue_pareto(period: Period, member: User | None = None) -> Pareto:
    """Customers ranked by net revenue, the running total in a window: the top rows, the points of the curve and
    the row where the running total reaches 80 %, in one query whatever the number of customers."""
    order = [F("revenue").desc(), F("customer_id").asc()]
    ranked = _per_customer(period, member).filter(revenue__gt=0).annotate(
        running=Window(RunningSum("revenue"), order_by=order),
        total=Window(RunningSum("revenue")),
        position=Window(RowNumber(), order_by=order),
        ranked_customers=Window(Count("*")),
    ).values("customer_id", "revenue", "visits", "seconds", "running", "total", "position", "ranked_customers")
    inner_sql, params = ranked.query.sql_with_params()
    # Kept: the first TOP rows, about CURVE_POINTS rows evenly spread for the curve, and the one row whose running
    # total first reaches 80 % (running * 5 >= total * 4, exact where 0.8 in floating point is not).
    sql = (
        "SELECT customer_id, revenue, visits, seconds, running, total, position, ranked_customers, "
        "CASE WHEN running * 5 >= total * 4 AND (running - revenue) * 5 < total * 4 THEN 1 ELSE 0 END "
        f"FROM ({inner_sql}) ranked "
        "WHERE position <= %s OR (position * %s) / ranked_customers <> ((position - 1) * %s) / ranked_customers "
        "OR (running * 5 >= total * 4 AND (running - revenue) * 5 < total * 4) ORDER BY position"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, TOP, CURVE_POINTS, CURVE_POINTS])
        rows = cursor.fetchall()
    pareto = Pareto()
    if not rows:
        return pareto
    pareto.customers = rows[0][7]
    pareto.total = Decimal(str(rows[0][5]))
    pareto.curve = [(0.0, 0.0)]
    for customer_id, revenue, visits, seconds, running, total, position, count, reaches in rows:
        if position <= TOP:
            pareto.top.append({"customer_id": customer_id, "revenue": Decimal(str(revenue)), "visits": visits,
                               "seconds": seconds})
        if reaches:
            pareto.needed = position
        if (position * CURVE_POINTS) // count != ((position - 1) * CURVE_POINTS) // count:
            pareto.curve.append((position / count, float(running) / float(total)))
    return pareto


# ---------------------------------------------------------------------------------------------------------------
# 2. Existing vs new business

@dataclass
class Business:
    revenue: Decimal
    existing_revenue: Decimal
    customers_served: int  # customers with at least one interaction in the period
    repeat_customers: int  # … with at least two
    gained: int
    at_start: int
    lost_by_status: int
    lost_by_silence: int
    lost_names: list

    @property
    def existing_share(self) -> float | None:
        return float(self.existing_revenue / self.revenue) if self.revenue > 0 else None

    @property
    def repeat_rate(self) -> float | None:
        return self.repeat_customers / self.customers_served if self.customers_served else None

    @property
    def lost(self) -> int:
        return self.lost_by_status + self.lost_by_silence

    @property
    def attrition(self) -> float | None:
        return self.lost / self.at_start if self.at_start else None


def _lost_status_changes(period: Period, member: User | None) -> QuerySet:
    """Customers whose status became "lost" inside the period, read from the customer history: a historical row
    with status lost whose previous row (that customer's, just before it) was not lost."""
    history = Customer.history.model.objects
    previous = history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    ).order_by("-history_date", "-history_id")
    return (
        history.filter(status=Customer.Status.LOST, history_date__gte=period.start, history_date__lt=period.end)
        .annotate(previous_status=Subquery(previous.values("status")[:1]))
        .filter(previous_status__isnull=False)
        .exclude(previous_status=Customer.Status.LOST)
        # The live customers only: a trashed one is no longer in the book.
        .filter(id__in=customers_of(member).values("id"))
        .order_by()
        .values("id")
        .distinct()
    )


def _lost_by_silence(period: Period, member: User | None, default_cadence_days: int) -> QuerySet:
    """Customers still counted as active or inactive whose silence reached twice their cadence inside the period:
    last contact before the period's end (or when they were added) plus two cadences falls in the period."""
    last_contact = Interaction.objects.filter(customer_id=OuterRef("pk"), occurred_at__lt=period.end).order_by(
        "-occurred_at", "-id").values("occurred_at")[:1]
    one_day = Value(datetime.timedelta(days=1), output_field=DurationField())
    return (
        customers_of(member)
        .filter(status__in=[Customer.Status.ACTIVE, Customer.Status.INACTIVE], created_at__lt=period.end)
        .annotate(
            cadence=cadence_expression(default_cadence_days),
            silent_from=Coalesce(Subquery(last_contact), F("created_at")),
        )
        .annotate(lost_at=ExpressionWrapper(
            F("silent_from") + ExpressionWrapper(F("cadence") * 2 * one_day, output_field=DurationField()),
            output_field=DateTimeField(),
        ))
        .filter(lost_at__gte=period.start, lost_at__lt=period.end)
    )


def business(period: Period, member: User | None, *, default_cadence_days: int, with_money: bool) -> Business:
    money = {"revenue": Decimal("0"), "existing_revenue": Decimal("0")}
    if with_money:
        money = interactions_in(period, member).aggregate(
            revenue=Coalesce(Sum(NET), ZERO),
            existing_revenue=Coalesce(Sum(NET, filter=Q(customer__customer_since__lt=period.first_day)), ZERO),
        )
    served = (
        interactions_in(period, member).values("customer_id").annotate(n=Count("id"))
        .aggregate(customers=Count("customer_id"), repeat=Sum(Case(When(n__gte=2, then=1), default=0)))
    )
    in_period = Q(customer_since__gte=period.first_day, customer_since__lte=period.last_day)
    counts = customers_of(member).exclude(status=Customer.Status.LEAD).aggregate(
        gained=Count("id", filter=in_period),
        at_start=Count("id", filter=Q(customer_since__lt=period.first_day,
                                      status__in=[Customer.Status.ACTIVE, Customer.Status.INACTIVE])),
    )
    # Each list carries its full count on every row (a window), so one query gives both.
    changed = list(
        customers_of(member).filter(pk__in=_lost_status_changes(period, member))
        .annotate(found=Window(Count("id"))).only("id", "name", "company", "kind", "sort_name")
        .order_by("sort_name", "id")[:LIST_LIMIT]
    )
    silent = list(
        _lost_by_silence(period, member, default_cadence_days)
        .annotate(found=Window(Count("id"))).only("id", "name", "company", "kind", "sort_name")
        .order_by("sort_name", "id")[:LIST_LIMIT]
    )
    lost_by_status = changed[0].found if changed else 0
    lost_by_silence = silent[0].found if silent else 0
    lost_names = sorted(changed + silent, key=lambda c: (c.sort_name, c.pk))[:LIST_LIMIT]
    return Business(
        revenue=money["revenue"], existing_revenue=money["existing_revenue"],
        customers_served=served["customers"] or 0, repeat_customers=served["repeat"] or 0,
        gained=counts["gained"],
        # Lost inside the period: they were customers at its start.
        at_start=counts["at_start"] + lost_by_status, lost_by_status=lost_by_status,
        lost_by_silence=lost_by_silence, lost_names=lost_names,
    )


# ---------------------------------------------------------------------------------------------------------------
# 3. Time and money each customer costs

def _with_margin(period: Period, member: User | None, hourly_cost: Decimal) -> QuerySet:
    cost_per_second = Value(hourly_cost / 3600, output_field=DecimalField(max_digits=20, decimal_places=10))
    return _per_customer(period, member).annotate(
        margin=ExpressionWrapper(F("revenue") - F("seconds") * cost_per_second, output_field=MONEY),
    )


def customers_by_time(period: Period, member: User | None, *, hourly_cost: Decimal) -> list[dict]:
    """The customers who take the most hours in the period."""
    return list(_with_margin(period, member, hourly_cost).order_by("-seconds", "-interactions", "customer_id")[:TOP])


def least_profitable(period: Period, member: User | None, *, hourly_cost: Decimal) -> list[dict]:
    """Lowest revenue minus cost, among customers with at least three interactions in the period."""
    return list(
        _with_margin(period, member, hourly_cost)
        .filter(interactions__gte=LEAST_PROFITABLE_MIN_INTERACTIONS)
        .order_by("margin", "customer_id")[:TOP]
    )


# ---------------------------------------------------------------------------------------------------------------
# 4, 6, 7, 10: the period's interactions grouped by channel, by team member and by month

def _interaction_figures():
    return {
        "interactions": Count("id"),
        "timed": Count("duration_seconds"),
        "average_seconds": Avg("duration_seconds"),
        "resolved": Count("id", filter=Q(resolved_first_contact=True)),
        "asked_sale": Count("id", filter=Q(asked_for_sale=True)),
        "asked_referral": Count("id", filter=Q(asked_for_referral=True)),
    }


def by_channel(period: Period, member: User | None) -> list[dict]:
    rows = {row["channel"]: row for row in interactions_in(period, member).values("channel")
            .annotate(**_interaction_figures())}
    return [rows[channel] for channel in Interaction.Channel.values if channel in rows]


def by_member(period: Period, member: User | None) -> list[dict]:
    """Per team member; interactions whose author was removed count under user None."""
    return list(interactions_in(period, member).values("user_id").annotate(**_interaction_figures())
                .order_by("user_id"))


def by_month(period: Period, member: User | None, tz) -> list[dict]:
    return list(
        interactions_in(period, member)
        .annotate(month=TruncMonth("occurred_at", tzinfo=tz))
        .values("month").annotate(**_interaction_figures()).order_by("month")
    )


def setup_vs_existing(period: Period, member: User | None) -> dict[bool, dict]:
    """Average duration while setting up a new customer (their first three interactions ever) and after.

    An interaction is a setting-up one when its customer had fewer than three before it: the index
    interaction_timeline_idx answers "is there a third earlier one?" by reading at most three entries."""
    third_earlier = Interaction.objects.filter(
        customer_id=OuterRef("customer_id"), occurred_at__lt=OuterRef("occurred_at"),
    ).order_by()[SETUP_INTERACTIONS - 1:SETUP_INTERACTIONS]
    rows = (
        interactions_in(period, member)
        .filter(duration_seconds__isnull=False)
        .annotate(existing=Exists(third_earlier))
        .values("existing")
        .annotate(interactions=Count("id"), average_seconds=Avg("duration_seconds"))
    )
    return {row["existing"]: row for row in rows}


# ---------------------------------------------------------------------------------------------------------------
# 5. Peak and low times

def peak_times(period: Period, member: User | None, tz) -> dict[str, dict[tuple[int, int], int]]:
    """{channel: {(ISO weekday 1-7, hour 0-23): interactions}} for calls and visits, in the viewer's zone."""
    rows = (
        interactions_in(period, member)
        .filter(channel__in=[CALL, VISIT])
        .annotate(weekday=ExtractIsoWeekDay("occurred_at", tzinfo=tz), hour=ExtractHour("occurred_at", tzinfo=tz))
        .values("channel", "weekday", "hour")
        .annotate(n=Count("id"))
    )
    found = {CALL: {}, VISIT: {}}
    for row in rows:
        found[row["channel"]][(row["weekday"], row["hour"])] = row["n"]
    return found


# ---------------------------------------------------------------------------------------------------------------
# 7. Asking

def referrals_received(period: Period, member: User | None) -> int:
    """New customers in the period who came referred by another customer."""
    return customers_of(member).filter(
        customer_since__gte=period.first_day, customer_since__lte=period.last_day, referred_by__isnull=False,
    ).exclude(status=Customer.Status.LEAD).count()


# ---------------------------------------------------------------------------------------------------------------
# 8. Strongest advocates

def _count_of(queryset: QuerySet, key: str):
    counted = queryset.order_by().values(key).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _last_attitude():
    latest = Interaction.objects.filter(customer_id=OuterRef("pk"), attitude__isnull=False).order_by(
        "-occurred_at", "-id")
    return Subquery(latest.values("attitude")[:1], output_field=IntegerField())


def advocates(member: User | None) -> list[Customer]:
    """Customers who sent us others, or who told us what they like: most referrals first, then the best
    average rating, then the most likes. Not limited to the period: advocacy builds over years."""
    referrals = Customer.objects.filter(referred_by=OuterRef("pk"))
    likes = FeedbackItem.objects.filter(feedback__customer=OuterRef("pk"), kind=FeedbackItem.Kind.LIKE)
    ratings = (Feedback.objects.filter(customer=OuterRef("pk"), rating__isnull=False).order_by()
               .values("customer").annotate(average=Avg("rating")).values("average"))
    return list(
        customers_of(member)
        .exclude(status=Customer.Status.LOST)
        .filter(Q(pk__in=Customer.objects.filter(referred_by__isnull=False).order_by().values("referred_by"))
                | Q(pk__in=FeedbackItem.objects.filter(kind=FeedbackItem.Kind.LIKE).order_by()
                    .values("feedback__customer")))
        .annotate(
            referred=_count_of(referrals, "referred_by"),
            likes=_count_of(likes, "feedback__customer"),
            average_rating=Subquery(ratings, output_field=DecimalField(max_digits=4, decimal_places=2)),
            last_attitude=_last_attitude(),
        )
        .only("id", "name", "company", "kind")
        .order_by("-referred", F("average_rating").desc(nulls_last=True), "-likes", "sort_name", "id")[:TOP]
    )


def marked_customers(member: User | None, flag: str) -> tuple[list[Customer], int]:
    """Customers marked "happy to be a reference" or "happy to try new services", the first few and how many."""
    rows = list(
        customers_of(member).filter(**{flag: True}).exclude(status=Customer.Status.LOST)
        .annotate(marked=Window(Count("id")))
        .only("id", "name", "company", "kind").order_by("sort_name", "id")[:LIST_LIMIT]
    )
    return rows, (rows[0].marked if rows else 0)


# ---------------------------------------------------------------------------------------------------------------
# 9. Most sales potential

def sales_potential(member: User | None, *, now: datetime.datetime) -> tuple[list[Customer], int]:
    """Active customers with an idea for offering more in the last 180 days that no later interaction followed
    with a sale asked for, whose revenue in the last 180 days exceeds the 180 before, and whose last attitude was
    4 or 5. The largest growth first; and how many in all."""
    recent_from = now - datetime.timedelta(days=POTENTIAL_DAYS)
    earlier_from = recent_from - datetime.timedelta(days=POTENTIAL_DAYS)
    asked_later = Interaction.objects.filter(customer_id=OuterRef("customer_id"),
                                             occurred_at__gt=OuterRef("occurred_at"), asked_for_sale=True)
    ideas = (
        Interaction.objects.filter(occurred_at__gte=recent_from, occurred_at__lte=now)
        .exclude(more_services_ideas="")
        .exclude(Exists(asked_later))
    )
    open_ideas = ideas.filter(customer_id=OuterRef("pk")).order_by("-occurred_at", "-id")

    def revenue_between(start, end):
        summed = (Interaction.objects.filter(customer_id=OuterRef("pk"), occurred_at__gte=start, occurred_at__lt=end)
                  .order_by().values("customer_id").annotate(total=Sum(NET)).values("total"))
        return Coalesce(Subquery(summed, output_field=MONEY), ZERO)

    rows = list(
        customers_of(member)
        .filter(status=Customer.Status.ACTIVE)
        # The ideas of the last 180 days first (a range of interaction_recent_idx), then their customers.
        .filter(pk__in=ideas.order_by().values("customer_id"))
        .annotate(
            recent_revenue=revenue_between(recent_from, now),
            earlier_revenue=revenue_between(earlier_from, recent_from),
            last_attitude=_last_attitude(),
            idea=Subquery(open_ideas.values("more_services_ideas")[:1]),
        )
        .filter(recent_revenue__gt=F("earlier_revenue"), last_attitude__in=POSITIVE_ATTITUDES)
        .annotate(growth=ExpressionWrapper(F("recent_revenue") - F("earlier_revenue"), output_field=MONEY),
                  found=Window(Count("id")))
        .only("id", "name", "company", "kind")
        .order_by("-growth", "id")[:TOP]
    )
    return rows, (rows[0].found if rows else 0)


# ---------------------------------------------------------------------------------------------------------------
# 10. Team

def followups_done(period: Period, member: User | None) -> dict[int, dict]:
    """{assignee id: on time, late} for the follow-ups done in the period (done on or before the due day)."""
    done = FollowUp.objects.filter(done_at__gte=period.start, done_at__lt=period.end)
    if member is not None:
        done = done.filter(assigned_to=member)
    rows = done.order_by().values("assigned_to_id").annotate(
        on_time=Count("id", filter=Q(done_at__date__lte=F("due_date"))),
        late=Count("id", filter=Q(done_at__date__gt=F("due_date"))),
    )
    return {row["assigned_to_id"]: row for row in rows}


def feedback_by_member(period: Period, member: User | None) -> dict[int, dict]:
    """{user id: average rating, answers} of the feedback received in the period from the customers each looks
    after."""
    received = Feedback.objects.filter(received_at__gte=period.start, received_at__lt=period.end,
                                       customer__assigned_to__isnull=False)
    if member is not None:
        received = received.filter(customer__assigned_to=member)
    rows = received.order_by().values("customer__assigned_to").annotate(
        average_rating=Avg("rating"), answers=Count("id"))
    return {row["customer__assigned_to"]: row for row in rows}


def team_members(member: User | None) -> list[User]:
    if member is not None:
        return [member]
    return list(User.objects.filter(is_active=True).order_by("first_name", "last_name", "id"))


def users_named(ids) -> dict[int, User]:
    return User.objects.only("id", "username", "first_name", "last_name").in_bulk({i for i in ids if i})
