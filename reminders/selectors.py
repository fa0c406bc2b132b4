"""Reads for the reminders: who is due an email now, and what goes in it."""

import datetime
import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import DateTimeField, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from customers.models import Customer
from followups.models import FollowUp
from mail.models import SentEmail

logger = logging.getLogger(__name__)

Kind = SentEmail.Kind


@dataclass(frozen=True)
class DueEmail:
    user_id: int
    kind: str
    day: datetime.date  # the user's local date the email is for

    @property
    def period(self) -> str:
        return period_for(kind=self.kind, day=self.day)


def period_for(*, kind: str, day: datetime.date) -> str:
    """The sent-log period: the local date for the daily reminder, the ISO week for the weekly email."""
    if kind == Kind.DIGEST:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def unfinished_claims(*, now: datetime.datetime) -> Q:
    """Sent-log rows that may be claimed again: a failed attempt, or a claim whose lease ran out.

    Both wait out the lease before the dispatcher hands them out again, so a message that keeps
    failing is tried at most every lease period, and REMINDERS_MAX_ATTEMPTS times in all.
    """
    cutoff = now - datetime.timedelta(seconds=settings.REMINDERS_CLAIM_LEASE_SECONDS)
    return Q(status__in=[SentEmail.Status.CLAIMED, SentEmail.Status.FAILED], claimed_at__lt=cutoff) & Q(
        attempts__lt=settings.REMINDERS_MAX_ATTEMPTS
    )


def due_emails(*, now: datetime.datetime, limit: int | None = None) -> list[DueEmail]:
    """Every email whose local hour has come and that nobody has sent or is sending, at most `limit`.

    "Has come" means: the user's local hour is at or past their chosen hour, on the same local day
    (the reminder) or on their chosen weekday (the weekly email). So a dispatcher that was down at
    8:00 still sends at 9:00 that day, and an hour skipped by a daylight-saving change is not missed.
    One query per time zone in use and per kind.
    """
    limit = settings.REMINDERS_BATCH_SIZE if limit is None else limit
    User = get_user_model()
    due: list[DueEmail] = []
    zones = (
        User.objects.filter(is_active=True)
        .filter(Q(reminders_enabled=True) | Q(digest_enabled=True))
        .exclude(email="")
        .order_by("time_zone")
        .values_list("time_zone", flat=True)
        .distinct()
    )
    for zone_name in list(zones):
        try:
            local = now.astimezone(zoneinfo.ZoneInfo(zone_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            logger.warning("Skipping users with an unknown time zone %r", zone_name)
            continue
        day = local.date()
        users = User.objects.filter(is_active=True, time_zone=zone_name).exclude(email="")
        for kind, candidates in (
            (
                Kind.REMINDER,
                users.filter(reminders_enabled=True, reminder_hour__lte=local.hour).filter(
                    Exists(FollowUp.objects.open().filter(assigned_to=OuterRef("pk"), due_date__lte=day))
                ),
            ),
            (
                Kind.DIGEST,
                users.filter(digest_enabled=True, digest_weekday=day.weekday(), digest_hour__lte=local.hour),
            ),
        ):
            if len(due) >= limit:
                return due
            settled = SentEmail.objects.filter(
                user=OuterRef("pk"), kind=kind, period=period_for(kind=kind, day=day)
            ).exclude(unfinished_claims(now=now))
            ids = candidates.exclude(Exists(settled)).order_by("id").values_list("id", flat=True)[: limit - len(due)]
            due.extend(DueEmail(user_id=user_id, kind=kind, day=day) for user_id in ids)
    return due


def user_stale_customers(*, user, now: datetime.datetime, days: int) -> QuerySet[Customer]:
    """Customers the user looks after with no interaction for `days` days (counted from when they were
    added if there never was one), longest silence first. Lost and do-not-contact customers are left out."""
    cutoff = now - datetime.timedelta(days=days)
    return (
        Customer.objects.filter(assigned_to=user, do_not_contact=False)
        .exclude(status=Customer.Status.LOST)
        .annotate(last_interaction=Max("interactions__occurred_at"))
        .filter(Q(last_interaction__lt=cutoff) | Q(last_interaction__isnull=True, created_at__lt=cutoff))
        .annotate(last_contact=Coalesce("last_interaction", "created_at", output_field=DateTimeField()))
        .order_by("last_contact", "id")
    )
