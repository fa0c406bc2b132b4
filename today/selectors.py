"""Reads for the home page (Today)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from accounts.timezones import user_localdate
from followups.selectors import user_followups_until
from interactions.selectors import recent_interactions

# What a follow-up row on Today shows (templates/today/_followup_block.html), and nothing more (issue 16): a
# customer's long texts are most of what 150 rows would load, and a phone number loaded is a phone number
# parsed (the row shows the stored phone_display). A field a row came to use without being listed here would
# cost a query per row, which the pinned query count (tests/today/test_view.py) catches.
ROW_FIELDS = (
    "customer", "description", "due_date", "attempts",
    "customer__name", "customer__company", "customer__kind", "customer__phone_display", "customer__phone_digits",
)
UNPARSED_PHONES = ("customer__phone", "customer__alt_phone")

# Each list on Today shows at most this many follow-ups (the badge still counts them all): an owner
# with a thousand overdue follow-ups gets a page that loads, not a megabyte.
TODAY_LIST_LIMIT = 50


@dataclass
class TodayAgenda:
    today: datetime.date
    overdue: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    this_week: list = field(default_factory=list)
    recent: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    limit: int = TODAY_LIST_LIMIT


def today_agenda(*, user, now: datetime.datetime | None = None) -> TodayAgenda:
    """My overdue follow-ups, due today, due in the next six days, and recent interactions.

    Four queries, whatever the numbers: the three counts, the oldest overdue (bounded), the
    follow-ups due from today on (bounded), the recent interactions.
    "Today" is the user's own day: at 11:30 UTC it is already tomorrow in Auckland.
    """
    today = user_localdate(user, now)
    agenda = TodayAgenda(today=today)
    mine = user_followups_until(user=user, until=today + datetime.timedelta(days=6))
    agenda.counts = mine.order_by().aggregate(
        overdue=Count("id", filter=Q(due_date__lt=today)),
        due_today=Count("id", filter=Q(due_date=today)),
        this_week=Count("id", filter=Q(due_date__gt=today)),
    )
    rows = mine.only(*ROW_FIELDS)
    agenda.overdue = list(rows.filter(due_date__lt=today)[:TODAY_LIST_LIMIT])
    for followup in rows.filter(due_date__gte=today)[: 2 * TODAY_LIST_LIMIT]:
        bucket = agenda.due_today if followup.due_date == today else agenda.this_week
        if len(bucket) < TODAY_LIST_LIMIT:
            bucket.append(followup)
    agenda.recent = list(recent_interactions().defer(*UNPARSED_PHONES))
    return agenda
