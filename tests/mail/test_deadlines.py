"""How long a failing email is tried: until it is no longer useful, with growing pauses between tries."""

import datetime
import zoneinfo

import pytest
import time_machine

from mail.models import SentEmail, give_up_time
from mail.services import claim_failed, email_claim, emails_give_up, retry_delay
from tests.factories import UserFactory

UTC = datetime.UTC
DAY = datetime.date(2026, 6, 10)


def zone(name):
    return zoneinfo.ZoneInfo(name)


@pytest.mark.parametrize(
    ("kind", "zone_name", "day", "expected"),
    [
        # Auckland is UTC+12 in June: its midnight is noon UTC the day before
        ("reminder", "Pacific/Auckland", DAY, datetime.datetime(2026, 6, 10, 12, 0, tzinfo=UTC)),
        ("reminder", "UTC", DAY, datetime.datetime(2026, 6, 11, 0, 0, tzinfo=UTC)),
        ("reminder", "America/Los_Angeles", DAY, datetime.datetime(2026, 6, 11, 7, 0, tzinfo=UTC)),
        ("reminder", "Asia/Kolkata", DAY, datetime.datetime(2026, 6, 10, 18, 30, tzinfo=UTC)),
        # The weekly email: two of the user's days
        ("digest", "Pacific/Auckland", DAY, datetime.datetime(2026, 6, 11, 12, 0, tzinfo=UTC)),
        ("digest", "Europe/London", DAY, datetime.datetime(2026, 6, 11, 23, 0, tzinfo=UTC)),
        # The night New York puts its clocks back, the day is 25 hours long
        ("reminder", "America/New_York", datetime.date(2026, 10, 31), datetime.datetime(2026, 11, 1, 4, 0, tzinfo=UTC)),
        ("reminder", "America/New_York", datetime.date(2026, 11, 1), datetime.datetime(2026, 11, 2, 5, 0, tzinfo=UTC)),
    ],
)
def test_an_email_gives_up_at_midnight_at_the_end_of_its_useful_days_in_the_users_zone(kind, zone_name, day, expected):
    assert give_up_time(kind=kind, day=day, zone=zone(zone_name)) == expected


def test_a_reminder_for_auckland_is_claimed_with_auckland_midnight_as_its_deadline(db):
    ann = UserFactory(time_zone="Pacific/Auckland")
    with time_machine.travel(datetime.datetime(2026, 6, 9, 20, 0, tzinfo=UTC), tick=False):  # 8:00 in Auckland
        claim = email_claim(user=ann, kind="reminder", period="2026-06-10", day=DAY)

    assert claim.give_up_at == datetime.datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    assert claim.give_up_at.astimezone(zone("Pacific/Auckland")).isoformat() == "2026-06-11T00:00:00+12:00"


def test_the_pause_doubles_after_each_failure_up_to_the_maximum(settings):
    settings.REMINDERS_RETRY_BACKOFF_SECONDS = 30
    settings.REMINDERS_RETRY_BACKOFF_MAX_SECONDS = 1800

    pauses = [retry_delay(attempts).total_seconds() for attempts in range(1, 10)]

    assert pauses == [30, 60, 120, 240, 480, 960, 1800, 1800, 1800]
    assert retry_delay(10_000).total_seconds() == 1800  # no overflow after a very long outage


def test_a_failure_whose_next_attempt_would_be_past_the_deadline_gives_up(db, settings):
    # Given: a reminder in UTC claimed at 23:50, and a pause of 30 minutes
    settings.REMINDERS_RETRY_BACKOFF_SECONDS = 1800
    user = UserFactory()
    late = datetime.datetime(2026, 6, 10, 23, 50, tzinfo=UTC)
    with time_machine.travel(late, tick=False):
        claim = email_claim(user=user, kind="reminder", period="2026-06-10", day=DAY)

        # When
        claim_failed(claim, OSError("Connection refused"))

    # Then
    row = SentEmail.objects.get()
    assert (row.status, row.next_attempt_at, row.failing_since) == ("gave_up", None, late)
    assert row.last_error == "OSError: Connection refused"


def test_the_dispatcher_gives_up_on_failed_and_abandoned_emails_once_their_deadline_passes(db, settings):
    # Given: one failed email and one whose worker died, both due tomorrow at midnight; one sent
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 600
    deadline = datetime.datetime(2026, 6, 11, tzinfo=UTC)
    common = {"kind": "reminder", "period": "2026-06-10", "give_up_at": deadline,
              "claimed_at": deadline - datetime.timedelta(hours=2)}
    failed = SentEmail.objects.create(user=UserFactory(), status="failed", next_attempt_at=deadline, **common)
    abandoned = SentEmail.objects.create(user=UserFactory(), status="claimed", **common)
    sent = SentEmail.objects.create(user=UserFactory(), status="sent", sent_at=deadline, **common)

    # When: the sweep runs just before the deadline, then at it
    assert emails_give_up(now=deadline - datetime.timedelta(seconds=1)) == 0
    assert emails_give_up(now=deadline) == 2

    # Then
    statuses = {row.pk: row.status for row in SentEmail.objects.all()}
    assert statuses == {failed.pk: "gave_up", abandoned.pk: "gave_up", sent.pk: "sent"}
    assert SentEmail.objects.get(pk=abandoned.pk).failing_since == deadline


def test_a_claim_within_its_lease_is_not_given_up_at_the_deadline(db, settings):
    # Its worker may be talking to the mail server right now.
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 600
    deadline = datetime.datetime(2026, 6, 11, tzinfo=UTC)
    SentEmail.objects.create(user=UserFactory(), kind="reminder", period="2026-06-10", status="claimed",
                             claimed_at=deadline - datetime.timedelta(minutes=1), give_up_at=deadline)

    assert emails_give_up(now=deadline) == 0
