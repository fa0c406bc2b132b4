"""Reads for the reminders: who is due an email now, and what goes in it."""

import datetime
import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from followups.models import FollowUp
from mail.models import SentEmail
from mail.selectors import retry_due

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


def day_for(*, kind: str, period: str, digest_weekday: int) -> datetime.date:
    """The local date an email of that period is for: period_for's inverse (the weekly email's day is the
    user's chosen weekday in that week, so a retry composes the email that was due)."""
    if kind == Kind.DIGEST:
        year, week = period.split("-W")
        return datetime.date.fromisocalendar(int(year), int(week), digest_weekday + 1)
    return datetime.date.fromisoformat(period)


def retries_due(*, now: datetime.datetime, limit: int) -> list[DueEmail]:
    """Emails whose last attempt failed (or whose worker died) and whose next attempt has come, before
    their deadline (mail.selectors.retry_due), for users who still want them. One query."""
    wanted = Q(kind=Kind.REMINDER, user__reminders_enabled=True) | Q(kind=Kind.DIGEST, user__digest_enabled=True)
    rows = (
        SentEmail.objects.filter(retry_due(now), wanted, user__is_active=True)
        .exclude(user__email="")
        .order_by("claimed_at", "id")
        .values_list("user_id", "kind", "period", "user__digest_weekday")[:limit]
    )
    due = []
    for user_id, kind, period, digest_weekday in rows:
        try:
            day = day_for(kind=kind, period=period, digest_weekday=digest_weekday)
        except ValueError:
            logger.warning("Not retrying %s for user %s: unknown period %r", kind, user_id, period)
            continue
        due.append(DueEmail(user_id=user_id, kind=kind, day=day))
    return due


def due_emails(*, now: datetime.datetime, limit: int | None = None) -> list[DueEmail]:
    """Every email due now, at most `limit`: the retries that are due first, then the new ones.

    A new one is due when the user's local hour is at or past their chosen hour, on the same local day
    (the reminder) or on their chosen weekday (the weekly email), and it has no sent-log row yet. So a
    dispatcher that was down at 8:00 still sends at 9:00 that day, and an hour skipped by a
    daylight-saving change is not missed. One query for the retries, one for the time zones in use,
    then one per zone and kind.
    """
    limit = settings.REMINDERS_BATCH_SIZE if limit is None else limit
    due = retries_due(now=now, limit=limit)
    User = get_user_model()
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
            logged = SentEmail.objects.filter(user=OuterRef("pk"), kind=kind, period=period_for(kind=kind, day=day))
            ids = candidates.exclude(Exists(logged)).order_by("id").values_list("id", flat=True)[: limit - len(due)]
            due.extend(DueEmail(user_id=user_id, kind=kind, day=day) for user_id in ids)
    return due

