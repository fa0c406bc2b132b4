"""The sent-log claim: the piece that makes each email go out once (in-process)."""

import datetime
import smtplib

import pytest
import time_machine
from django.db import IntegrityError

from mail.models import SentEmail
from mail.services import claim_failed, claim_sent, claim_skipped, email_claim
from tests.factories import UserFactory

NOW = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.date(2026, 6, 10)


@pytest.fixture
def uma(db):
    return UserFactory(username="uma")  # in UTC


def claim(user, at, day=DAY):
    with time_machine.travel(at, tick=False):
        return email_claim(user=user, kind="reminder", period=day.isoformat(), day=day)


def fail(row, at, exc=None):
    with time_machine.travel(at, tick=False):
        claim_failed(row, exc or OSError("down"))


def test_the_database_refuses_a_second_row_for_the_same_email(uma):
    SentEmail.objects.create(user=uma, kind="reminder", period="2026-06-10", claimed_at=NOW)

    with pytest.raises(IntegrityError):
        SentEmail.objects.create(user=uma, kind="reminder", period="2026-06-10", claimed_at=NOW)


def test_the_database_refuses_a_status_that_is_not_a_choice(uma):
    with pytest.raises(IntegrityError):
        SentEmail.objects.create(user=uma, kind="reminder", period="2026-06-10", claimed_at=NOW, status="lost")


def test_the_first_claim_wins_and_a_second_gets_nothing(uma):
    first = claim(uma, NOW)
    second = claim(uma, NOW + datetime.timedelta(minutes=9))

    assert first.status == "claimed" and first.message_id
    assert first.give_up_at == datetime.datetime(2026, 6, 11, tzinfo=datetime.UTC)  # uma's midnight
    assert second is None


def test_a_claim_whose_lease_ran_out_is_taken_over_once(uma, settings):
    # Given: a claim by a worker that died, older than the lease
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 600
    first = claim(uma, NOW)
    later = NOW + datetime.timedelta(seconds=601)

    # When: two workers try to take it over
    taken = claim(uma, later)
    again = claim(uma, later)

    # Then
    assert (taken.pk, taken.attempts, taken.claimed_at, taken.message_id) == (first.pk, 2, later, first.message_id)
    assert again is None


def test_a_sent_email_is_never_claimed_again(uma):
    SentEmail.objects.create(user=uma, kind="reminder", period="2026-06-10", claimed_at=NOW, status="sent", sent_at=NOW,
                             give_up_at=NOW + datetime.timedelta(hours=15))

    assert claim(uma, NOW + datetime.timedelta(hours=1)) is None


def test_a_failed_claim_waits_for_its_next_attempt_then_is_taken_over_and_marked_sent(uma, settings):
    # Given: the first attempt failed; the pause is 30 seconds
    settings.REMINDERS_RETRY_BACKOFF_SECONDS = 30
    first = claim(uma, NOW)
    fail(first, NOW, smtplib.SMTPDataError(451, b"Try again later"))
    row = SentEmail.objects.get()
    assert (row.status, row.last_error) == ("failed", "SMTPDataError: (451, b'Try again later')")
    assert (row.next_attempt_at, row.failing_since) == (NOW + datetime.timedelta(seconds=30), NOW)

    # When: a worker tries within the pause, then one after it, and sends
    early = claim(uma, NOW + datetime.timedelta(seconds=29))
    retry = claim(uma, NOW + datetime.timedelta(seconds=30))
    with time_machine.travel(NOW + datetime.timedelta(seconds=31), tick=False):
        claim_sent(retry, subject="2 follow-ups due today")

    # Then
    assert early is None
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.subject) == ("sent", 2, "", "2 follow-ups due today")
    assert row.sent_at == NOW + datetime.timedelta(seconds=31) and row.next_attempt_at is None
    assert row.message_id == first.message_id


def test_there_is_no_count_of_attempts_only_the_deadline(uma, settings):
    # Given: a pause of one second, and twenty failures in a row
    settings.REMINDERS_RETRY_BACKOFF_SECONDS = 1
    settings.REMINDERS_RETRY_BACKOFF_MAX_SECONDS = 1
    moment = NOW
    for _ in range(20):
        fail(claim(uma, moment), moment)
        moment += datetime.timedelta(seconds=1)

    # When / Then: the twenty-first attempt still gets the claim
    assert claim(uma, moment).attempts == 21


def test_failing_since_keeps_the_first_failure(uma, settings):
    settings.REMINDERS_RETRY_BACKOFF_SECONDS = 60
    fail(claim(uma, NOW), NOW)
    later = NOW + datetime.timedelta(minutes=5)
    fail(claim(uma, later), later)

    row = SentEmail.objects.get()
    assert (row.failing_since, row.attempts, row.next_attempt_at) == (NOW, 2, later + datetime.timedelta(minutes=2))


def test_a_worker_whose_lease_ran_out_cannot_mark_the_new_claim_failed(uma, settings):
    # Given: a slow worker's claim was taken over by another worker
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 600
    slow = claim(uma, NOW)
    claim(uma, NOW + datetime.timedelta(seconds=601))

    # When: the slow worker's send fails at last
    fail(slow, NOW + datetime.timedelta(seconds=602), OSError("timed out"))

    # Then: the row is still the other worker's
    row = SentEmail.objects.get()
    assert (row.status, row.last_error) == ("claimed", "")


def test_a_claim_with_nothing_to_say_is_skipped_and_not_claimed_again(uma):
    claim_skipped(claim(uma, NOW))

    assert SentEmail.objects.get().status == "skipped"
    assert claim(uma, NOW + datetime.timedelta(hours=1)) is None


def test_a_sent_email_is_not_marked_skipped(uma):
    sent = claim(uma, NOW)
    claim_sent(sent, subject="Due today")

    claim_skipped(sent)

    assert SentEmail.objects.get().status == "sent"


def test_a_first_claim_after_the_deadline_records_the_email_as_given_up(uma):
    # Given: yesterday's reminder, queued before midnight, reaches a worker after it
    yesterday = DAY - datetime.timedelta(days=1)

    # When
    late = claim(uma, NOW, day=yesterday)

    # Then: nothing is sent, and the owner will see it
    assert late is None
    row = SentEmail.objects.get()
    assert (row.status, row.period, row.failing_since) == ("gave_up", "2026-06-09", NOW)
    assert "stopped being useful" in row.last_error
