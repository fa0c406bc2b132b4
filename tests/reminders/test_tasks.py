"""How the tasks are set up: schedule, no retries of their own, and what they pass."""

from django.core import mail
from django.utils import timezone

from mail.models import SentEmail
from reminders import tasks
from servicecrm.celery import app
from tests.factories import FollowUpFactory, UserFactory


def test_beat_runs_the_dispatcher_every_five_minutes():
    entry = app.conf.beat_schedule["reminders-dispatch"]

    assert entry["task"] == "reminders.dispatch" == tasks.dispatch.name
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert entry["options"]["expires"] < 5 * 60


def test_the_send_task_leaves_retries_to_the_dispatcher(db, monkeypatch):
    # Given: a user due a reminder, and a mail server that refuses connections
    user = UserFactory(reminder_hour=0, digest_enabled=False)
    today = timezone.localdate()
    FollowUpFactory(assigned_to=user, due_date=today)

    def refuse(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)

    # When
    result = tasks.send_email.run(user.pk, "reminder", today.isoformat())

    # Then: no Celery retry of its own; the row says when to try again
    assert not getattr(tasks.send_email, "autoretry_for", ()) and tasks.send_email.acks_late is True
    assert result.endswith("failed: [Errno 111] Connection refused")
    row = SentEmail.objects.get()
    assert row.status == "failed" and row.next_attempt_at is not None


def test_the_send_task_takes_ids_and_a_date_and_is_idempotent(db):
    user = UserFactory(reminder_hour=0, digest_enabled=False)
    today = timezone.localdate()  # the user's zone is UTC, as is the server's
    FollowUpFactory(assigned_to=user, due_date=today)
    day = today.isoformat()

    first = tasks.send_email.run(user.pk, "reminder", day)
    second = tasks.send_email.run(user.pk, "reminder", day)

    assert first.endswith("sent — ServiceCRM: 1 follow-up due today") and second.endswith("already handled")
    assert len(mail.outbox) == 1


def test_the_send_task_does_nothing_for_a_user_who_is_gone(db):
    assert tasks.send_email.run(987654, "reminder", "2026-06-10").endswith("not wanted")
