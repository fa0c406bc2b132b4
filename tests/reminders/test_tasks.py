"""How the tasks are set up: schedule, retries within the broker's visibility timeout, and what they pass."""

import smtplib

from django.conf import settings
from django.core import mail
from django.utils import timezone

from reminders import tasks
from servicecrm.celery import app
from tests.factories import FollowUpFactory, UserFactory


def test_beat_runs_the_dispatcher_every_five_minutes():
    entry = app.conf.beat_schedule["reminders-dispatch"]

    assert entry["task"] == "reminders.dispatch" == tasks.dispatch.name
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert entry["options"]["expires"] < 5 * 60


def test_sending_retries_smtp_failures_with_jittered_backoff_within_the_visibility_timeout():
    task = tasks.send_email

    assert set(task.autoretry_for) == {smtplib.SMTPException, OSError}
    assert task.retry_jitter is True and task.retry_backoff and task.max_retries >= 3
    assert task.retry_backoff_max < settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    assert task.acks_late is True


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
