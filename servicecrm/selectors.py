"""Reads for the home page (Today)."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from interactions.selectors import recent_interactions, user_followups_until


@dataclass
class TodayAgenda:
    today: datetime.date
    overdue: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    this_week: list = field(default_factory=list)
    recent: list = field(default_factory=list)


def user_time_zone(user) -> datetime.tzinfo:
    """The user's own zone; the server's default when it is unknown."""
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.get_default_timezone()


def user_localdate(user, now: datetime.datetime | None = None) -> datetime.date:
    """The date it is for this user now, wherever the code runs (a page, a task, an email)."""
    return timezone.localtime(now or timezone.now(), user_time_zone(user)).date()


def today_agenda(*, user, now: datetime.datetime | None = None) -> TodayAgenda:
    """My overdue follow-ups, due today, due in the next six days, and recent interactions: two queries.

    "Today" is the user's own day: at 11:30 UTC it is already tomorrow in Auckland.
    """
    today = user_localdate(user, now)
    agenda = TodayAgenda(today=today)
    for followup in user_followups_until(user=user, until=today + datetime.timedelta(days=6)):
        if followup.due_date < today:
            agenda.overdue.append(followup)
        elif followup.due_date == today:
            agenda.due_today.append(followup)
        else:
            agenda.this_week.append(followup)
    agenda.recent = list(recent_interactions())
    return agenda
