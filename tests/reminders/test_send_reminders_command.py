"""manage.py send_reminders: the dispatcher's work, done by hand."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from mail.models import SentEmail
from tests.factories import FollowUpFactory, UserFactory

DAY = datetime.date(2026, 6, 10)


@pytest.fixture
def rae(db):
    user = UserFactory(username="rae", email="rae@example.com", time_zone="America/Los_Angeles", digest_enabled=False)
    FollowUpFactory(assigned_to=user, due_date=DAY, description="Call about the pool pump")
    return user


def send_reminders(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(rae):
    output = send_reminders("--dry-run", "--at", "2026-06-10T08:00-07:00")

    assert "reminder 2026-06-10 to rae@example.com: would send — ServiceCRM: 1 follow-up due today" in output
    assert "would send 1 email" in output
    assert len(mail.outbox) == 0
    assert not SentEmail.objects.exists()


def test_at_sends_what_is_due_at_that_instant(rae):
    output = send_reminders("--at", "2026-06-10T15:00+00:00")

    assert "reminder 2026-06-10 to rae@example.com: sent" in output
    assert len(mail.outbox) == 1 and "Call about the pool pump" in mail.outbox[0].body
    assert SentEmail.objects.get().status == "sent"


def test_it_sends_nothing_before_the_users_hour_and_nothing_twice(rae):
    assert "sent 0 emails" in send_reminders("--at", "2026-06-10T07:59-07:00")
    send_reminders("--at", "2026-06-10T08:00-07:00")
    assert "sent 0 emails" in send_reminders("--at", "2026-06-10T09:00-07:00")
    assert len(mail.outbox) == 1


def test_a_malformed_instant_is_refused_with_an_example(db):
    with pytest.raises(CommandError, match="not an ISO date and time"):
        send_reminders("--at", "tomorrow")


def test_it_reports_an_smtp_failure_and_carries_on(rae, settings):
    # Given: two users due, and an SMTP server nobody listens on
    other = UserFactory(email="other@example.com", time_zone="America/Los_Angeles", digest_enabled=False)
    FollowUpFactory(assigned_to=other, due_date=DAY)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    # When: it runs at that instant
    with time_machine.travel(datetime.datetime.fromisoformat("2026-06-10T08:00-07:00"), tick=False):
        output = send_reminders("--at", "2026-06-10T08:00-07:00")

    # Then: both attempted, both recorded as failed for the next run
    assert output.count(": failed: ") == 2
    assert list(SentEmail.objects.values_list("status", flat=True)) == ["failed", "failed"]
