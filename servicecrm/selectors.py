"""Reads for the home page (Today)."""

import datetime
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


def today_agenda(*, user, now: datetime.datetime | None = None) -> TodayAgenda:
    """My overdue follow-ups, due today, due in the next six days, and recent interactions: two queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
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
