"""The dispatcher and the send, on top of the sent-log claim: a failed send is retried, a finished one is not."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail

from mail.models import SentEmail
from mail.services import email_claim
from reminders.selectors import due_emails
from reminders.services import email_send
from tests.factories import FollowUpFactory, UserFactory

NOW = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC)
DAY = NOW.date()


@pytest.fixture
def uma(db):
    user = UserFactory(username="uma", digest_enabled=False)
    FollowUpFactory(assigned_to=user, due_date=DAY)
    return user


def claim(user, at):
    with time_machine.travel(at, tick=False):
        return email_claim(user_id=user.pk, kind="reminder", period="2026-06-10")


def test_a_failed_send_is_marked_and_retried_at_once(uma, monkeypatch):
    # Given: the SMTP server refuses the first time
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPDataError(451, b"Try again later")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with time_machine.travel(NOW, tick=False), pytest.raises(smtplib.SMTPDataError):
        email_send(user_id=uma.pk, kind="reminder", day=DAY, now=NOW)
    row = SentEmail.objects.get()
    assert (row.status, row.last_error) == ("failed", "SMTPDataError: (451, b'Try again later')")

    # When: the task's retry runs, the server accepting
    monkeypatch.undo()
    with time_machine.travel(NOW + datetime.timedelta(seconds=2), tick=False):
        outcome = email_send(user_id=uma.pk, kind="reminder", day=DAY, now=NOW)

    # Then
    assert outcome.result == "sent" and len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_the_dispatcher_hands_out_again_only_unfinished_claims_past_their_lease(uma, settings):
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 600
    row = claim(uma, NOW)

    assert due_emails(now=NOW + datetime.timedelta(seconds=599)) == []
    with time_machine.travel(NOW + datetime.timedelta(seconds=601)):
        assert [d.user_id for d in due_emails(now=NOW + datetime.timedelta(seconds=601))] == [uma.pk]

    SentEmail.objects.filter(pk=row.pk).update(attempts=settings.REMINDERS_MAX_ATTEMPTS)
    with time_machine.travel(NOW + datetime.timedelta(seconds=601)):
        assert due_emails(now=NOW + datetime.timedelta(seconds=601)) == []  # it gave up


@pytest.mark.parametrize("size", [2, 8])
def test_the_dispatcher_runs_a_constant_number_of_queries(db, size, django_assert_num_queries):
    # Given: users in two time zones, with follow-ups due
    for n in range(size):
        user = UserFactory(time_zone=["Europe/London", "Pacific/Auckland"][n % 2], reminder_hour=0, digest_hour=0,
                           digest_weekday=DAY.weekday())
        FollowUpFactory(assigned_to=user, due_date=DAY)

    # When / Then: the zones in use, then one query per zone and kind, however many users
    with django_assert_num_queries(1 + 2 * 2):
        due = due_emails(now=NOW)
    assert len(due) == 2 * size


def test_the_dispatcher_queues_at_most_a_batch(db, settings):
    settings.REMINDERS_BATCH_SIZE = 3
    for _ in range(5):
        FollowUpFactory(assigned_to=UserFactory(reminder_hour=0, digest_enabled=False), due_date=DAY)

    assert len(due_emails(now=NOW)) == 3
