"""The dispatcher and the send, on top of the sent-log claim: a failed send is retried until its deadline, a
finished one is not."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail

from mail.models import SentEmail
from mail.services import claim_failed, email_claim
from reminders.selectors import due_emails
from reminders.services import emails_send_due
from tests.factories import FollowUpFactory, UserFactory

NOW = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC)
DAY = NOW.date()


@pytest.fixture
def uma(db):
    user = UserFactory(username="uma", digest_enabled=False)
    FollowUpFactory(assigned_to=user, due_date=DAY)
    return user


def run(now):
    with time_machine.travel(now, tick=False):
        return emails_send_due(now=now)


def claim(user, at):
    with time_machine.travel(at, tick=False):
        return email_claim(user=user, kind="reminder", period="2026-06-10", day=DAY)


def test_a_failed_send_is_marked_and_sent_by_a_later_run_once_its_pause_is_over(uma, settings, monkeypatch):
    # Given: the SMTP server refuses the first time; the pause is 30 seconds
    settings.REMINDERS_RETRY_BACKOFF_SECONDS = 30

    def refuse(self, messages):
        raise smtplib.SMTPDataError(451, b"Try again later")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert [o.result for o in run(NOW)] == ["failed: (451, b'Try again later')"]
    row = SentEmail.objects.get()
    assert (row.status, row.last_error) == ("failed", "SMTPDataError: (451, b'Try again later')")

    # When: a run within the pause, then one after it, the server accepting
    monkeypatch.undo()
    within = run(NOW + datetime.timedelta(seconds=29))
    after = run(NOW + datetime.timedelta(seconds=30))

    # Then
    assert within == [] and [o.result for o in after] == ["sent"]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_the_dispatcher_hands_out_again_only_unfinished_claims_past_their_lease(uma, settings):
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 600
    claim(uma, NOW)

    assert due_emails(now=NOW + datetime.timedelta(seconds=599)) == []
    assert [d.user_id for d in due_emails(now=NOW + datetime.timedelta(seconds=601))] == [uma.pk]
    # At uma's midnight the reminder is no longer useful
    assert due_emails(now=datetime.datetime(2026, 6, 11, tzinfo=datetime.UTC)) == []


def test_a_digest_is_retried_the_next_day_for_the_day_it_was_due(db, settings):
    # Given: a Sunday weekly email that failed; the next attempt comes after midnight, in the next ISO week
    sunday = datetime.date(2026, 6, 14)
    user = UserFactory(reminders_enabled=False, digest_weekday=sunday.weekday(), digest_hour=18)
    failed_at = datetime.datetime(2026, 6, 14, 23, 55, tzinfo=datetime.UTC)
    with time_machine.travel(failed_at, tick=False):
        row = email_claim(user=user, kind="digest", period="2026-W24", day=sunday)
        claim_failed(row, OSError("Connection refused"))

    # When: the dispatcher runs on Monday morning
    due = due_emails(now=datetime.datetime(2026, 6, 15, 6, 0, tzinfo=datetime.UTC))

    # Then: the week's email, for its Sunday
    assert [(d.user_id, d.kind, d.day, d.period) for d in due] == [(user.pk, "digest", sunday, "2026-W24")]


def test_a_failed_email_is_not_retried_for_someone_who_no_longer_wants_it(uma, settings):
    with time_machine.travel(NOW, tick=False):
        claim_failed(claim(uma, NOW), OSError("down"))
    uma.reminders_enabled = False
    uma.save(update_fields=["reminders_enabled"])

    assert due_emails(now=NOW + datetime.timedelta(hours=1)) == []


@pytest.mark.parametrize("size", [2, 8])
def test_the_dispatcher_runs_a_constant_number_of_queries(db, size, django_assert_num_queries):
    # Given: users in two time zones, with follow-ups due
    for n in range(size):
        user = UserFactory(time_zone=["Europe/London", "Pacific/Auckland"][n % 2], reminder_hour=0, digest_hour=0,
                           digest_weekday=DAY.weekday())
        FollowUpFactory(assigned_to=user, due_date=DAY)

    # When / Then: the retries due, the zones in use, then one query per zone and kind, however many users
    with django_assert_num_queries(1 + 1 + 2 * 2):
        due = due_emails(now=NOW)
    assert len(due) == 2 * size


def test_the_dispatcher_queues_at_most_a_batch(db, settings):
    settings.REMINDERS_BATCH_SIZE = 3
    for _ in range(5):
        FollowUpFactory(assigned_to=UserFactory(reminder_hour=0, digest_enabled=False), due_date=DAY)

    assert len(due_emails(now=NOW)) == 3
