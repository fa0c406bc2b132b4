"""Each email goes out once, at the user's local hour, across daylight-saving changes.

The dispatcher runs every five minutes through the day of each change, as beat would.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from reminders.services import emails_send_due
from tests.factories import FollowUpFactory, UserFactory

STEP = datetime.timedelta(minutes=5)

# (zone, the day the clocks change, hours to try: the usual 08:00, and the hour that is skipped or repeated)
CHANGES = [
    ("Europe/London", datetime.date(2026, 3, 29), [8, 1]),  # 01:00 GMT -> 02:00 BST: 01:xx does not exist
    ("America/Los_Angeles", datetime.date(2026, 3, 8), [8, 2]),  # 02:00 PST -> 03:00 PDT
    ("Pacific/Auckland", datetime.date(2026, 4, 5), [8, 2]),  # 03:00 NZDT -> 02:00 NZST: 02:xx happens twice
]


def run_dispatcher(start: datetime.datetime, end: datetime.datetime, step=STEP) -> list[tuple[datetime.datetime, object]]:
    """[(when, message)] for every email sent while the dispatcher runs from start to end."""
    sent = []
    now = start.astimezone(datetime.UTC)  # step in real time, not wall-clock time
    while now <= end:
        before = len(mail.outbox)
        with time_machine.travel(now, tick=False):
            emails_send_due(now=now)
        sent.extend((now, message) for message in mail.outbox[before:])
        now += step
    return sent


@pytest.mark.parametrize(("zone_name", "day", "hours"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_email_goes_out_once_at_the_local_hour_across_a_clock_change(db, zone_name, day, hours):
    # Given: users in the zone wanting their reminder and weekly email at each hour, on the day the clocks change
    zone = zoneinfo.ZoneInfo(zone_name)
    users = []
    for hour in hours:
        user = UserFactory(time_zone=zone_name, reminder_hour=hour, digest_weekday=day.weekday(), digest_hour=hour)
        FollowUpFactory(assigned_to=user, due_date=day)
        users.append(user)
    midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)

    # When: the dispatcher runs every five minutes through that local day (and the hour before)
    sent = run_dispatcher(midnight - datetime.timedelta(hours=1), midnight + datetime.timedelta(hours=24))

    # Then: each user got one reminder and one weekly email, at the first run at or after their local hour
    for user, hour in zip(users, hours, strict=True):
        theirs = [(when.astimezone(zone), m) for when, m in sent if m.to[0].endswith(f"<{user.email}>")]
        assert len(theirs) == 2, theirs
        expected_hour = hour if _exists(day, hour, zone) else hour + 1
        for local, _message in theirs:
            assert (local.date(), local.hour, local.minute) == (day, expected_hour, 0)
            assert local.fold == 0  # the first of a repeated hour
        assert sorted(m.subject for _, m in theirs) == [
            "ServiceCRM: 1 follow-up due today",
            f"ServiceCRM: your week ahead, {day.day} {day:%B}",
        ]


def _exists(day: datetime.date, hour: int, zone) -> bool:
    """False for a local hour skipped when the clocks go forward."""
    local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
    return local.astimezone(datetime.UTC).astimezone(zone).hour == hour


def test_users_in_three_zones_each_get_theirs_at_their_own_eight_oclock(db):
    # Given: the same follow-up date for users in Auckland, London and Los Angeles
    day = datetime.date(2026, 7, 1)
    zones = ["Pacific/Auckland", "Europe/London", "America/Los_Angeles"]
    for zone_name in zones:
        user = UserFactory(username=zone_name.split("/")[1].lower(), time_zone=zone_name, digest_enabled=False)
        FollowUpFactory(assigned_to=user, due_date=day)

    # When: the dispatcher runs every quarter hour (every five minutes is covered above; this keeps it quick)
    sent = run_dispatcher(
        datetime.datetime(2026, 6, 30, 18, tzinfo=datetime.UTC),
        datetime.datetime(2026, 7, 1, 16, tzinfo=datetime.UTC),
        step=datetime.timedelta(minutes=15),
    )

    # Then: Auckland (UTC+12) first, then London (UTC+1), then Los Angeles (UTC-7)
    assert [(m.to[0].split("<")[1].split("@")[0], when) for when, m in sent] == [
        ("auckland", datetime.datetime(2026, 6, 30, 20, tzinfo=datetime.UTC)),
        ("london", datetime.datetime(2026, 7, 1, 7, tzinfo=datetime.UTC)),
        ("los_angeles", datetime.datetime(2026, 7, 1, 15, tzinfo=datetime.UTC)),
    ]
