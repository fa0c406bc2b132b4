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


@pytest.fixture
def uma(db):
    return UserFactory(username="uma")


def claim(user, at):
    with time_machine.travel(at, tick=False):
        return email_claim(user_id=user.pk, kind="reminder", period="2026-06-10")


def test_the_database_refuses_a_second_row_for_the_same_email(uma):
    SentEmail.objects.create(user=uma, kind="reminder", period="2026-06-10", claimed_at=NOW)

    with pytest.raises(IntegrityError):
        SentEmail.objects.create(user=uma, kind="reminder", period="2026-06-10", claimed_at=NOW)


def test_the_first_claim_wins_and_a_second_gets_nothing(uma):
    first = claim(uma, NOW)
    second = claim(uma, NOW + datetime.timedelta(minutes=9))

    assert first.status == "claimed" and first.message_id
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
    SentEmail.objects.create(user=uma, kind="reminder", period="2026-06-10", claimed_at=NOW, status="sent", sent_at=NOW)

    assert claim(uma, NOW + datetime.timedelta(days=1)) is None


def test_a_failed_claim_is_taken_over_at_once_and_then_marked_sent(uma):
    # Given: the first attempt failed
    first = claim(uma, NOW)
    claim_failed(first, smtplib.SMTPDataError(451, b"Try again later"))
    row = SentEmail.objects.get()
    assert (row.status, row.last_error) == ("failed", "SMTPDataError: (451, b'Try again later')")

    # When: a retry claims it seconds later, and sends
    retry = claim(uma, NOW + datetime.timedelta(seconds=2))
    with time_machine.travel(NOW + datetime.timedelta(seconds=3), tick=False):
        claim_sent(retry, subject="2 follow-ups due today")

    # Then
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.subject) == ("sent", 2, "", "2 follow-ups due today")
    assert row.sent_at == NOW + datetime.timedelta(seconds=3)
    assert row.message_id == first.message_id


def test_a_claim_is_given_up_after_the_most_attempts(uma, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 2
    claim_failed(claim(uma, NOW), OSError("down"))
    claim_failed(claim(uma, NOW + datetime.timedelta(seconds=1)), OSError("still down"))

    assert claim(uma, NOW + datetime.timedelta(seconds=2)) is None
    assert SentEmail.objects.get().attempts == 2


def test_a_worker_whose_lease_ran_out_cannot_mark_the_new_claim_failed(uma, settings):
    # Given: a slow worker's claim was taken over by another worker
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 600
    slow = claim(uma, NOW)
    claim(uma, NOW + datetime.timedelta(seconds=601))

    # When: the slow worker's send fails at last
    claim_failed(slow, OSError("timed out"))

    # Then: the row is still the other worker's
    row = SentEmail.objects.get()
    assert (row.status, row.last_error) == ("claimed", "")


def test_a_claim_with_nothing_to_say_is_skipped_and_not_claimed_again(uma):
    claim_skipped(claim(uma, NOW))

    assert SentEmail.objects.get().status == "skipped"
    assert claim(uma, NOW + datetime.timedelta(days=1)) is None


def test_a_sent_email_is_not_marked_skipped(uma):
    sent = claim(uma, NOW)
    claim_sent(sent, subject="Due today")

    claim_skipped(sent)

    assert SentEmail.objects.get().status == "sent"
