"""Reads for the team page: the people with their workload, and the current login lockouts."""

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from accounts.models import OWNER_GROUP
from accounts.selectors import active_users
from customers.models import Customer
from followups.models import FollowUp


def _count_of(queryset: QuerySet, field: str) -> Coalesce:
    """How many rows of `queryset` point at the outer user through `field`: a subquery, so that two counts on one
    row do not multiply each other as two joins would."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_workload(users: QuerySet) -> QuerySet:
    owners = Group.objects.filter(name=OWNER_GROUP, user=OuterRef("pk"))
    return users.annotate(
        open_followups=_count_of(FollowUp.objects.open(), "assigned_to"),
        customer_count=_count_of(Customer.objects.all(), "assigned_to"),
        has_owner_role=ExpressionWrapper(Q(is_superuser=True) | Exists(owners), output_field=BooleanField()),
    )


def team_members() -> QuerySet:
    """Everyone, active people first, each with `open_followups`, `customer_count` and `has_owner_role`. One query."""
    return _with_workload(get_user_model().objects.all()).order_by("-is_active", "first_name", "last_name", "username")


def member_get(*, pk: int):
    """One person with the same figures as on the team page, or None."""
    return _with_workload(get_user_model().objects.filter(pk=pk)).first()


def email_in_use(email: str) -> bool:
    """Whether someone (active or not) already has this address, in any case."""
    return get_user_model().objects.filter(email__iexact=email.strip()).exists()


def successors_for(*, leaver) -> QuerySet:
    """Who can take over a leaver's work: the other active people."""
    return active_users().exclude(pk=leaver.pk)


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    last_failure: datetime.datetime
    # When the newest failure leaves the cool-off window; older failures of the pair leave it before.
    until: datetime.datetime


def current_lockouts(*, now: datetime.datetime) -> list[Lockout]:
    """The (account, client address) pairs that django-axes refuses at this moment, newest first. One query.

    Mirrors how axes decides (AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]): it adds up the failures
    of the pair's rows (one per browser) still inside the cool-off window and locks at AXES_FAILURE_LIMIT.
    """
    cool_off = settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure", "username")
    )
    return [
        Lockout(
            username=row["username"] or "",
            ip_address=row["ip_address"] or "",
            failures=row["failures"],
            last_failure=row["last_failure"],
            until=row["last_failure"] + cool_off,
        )
        for row in rows
    ]
