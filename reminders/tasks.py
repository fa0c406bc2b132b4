"""Celery tasks: a periodic dispatcher that queues one send task per due email.

Both take and pass only ids and dates, are idempotent (the sent-log claim makes a repeated
send a no-op), and do bounded work per run (REMINDERS_BATCH_SIZE).
"""

import datetime
import smtplib

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.heartbeat import BEAT_TICK, beat

from .selectors import due_emails
from .services import email_send

# Celery holds a retry's countdown as an unacknowledged message; Redis hands such a message to
# another worker after its visibility timeout (3600 s), so no countdown may come near it.
RETRY_BACKOFF_MAX_SECONDS = 600


@shared_task(name="reminders.dispatch", ignore_result=True)
def dispatch() -> int:
    """Queue a send for every user whose email is due now. Safe to run twice at once."""
    due = due_emails(now=timezone.now(), limit=settings.REMINDERS_BATCH_SIZE)
    for item in due:
        send_email.delay_on_commit(item.user_id, item.kind, item.day.isoformat())
    # After the work, so /healthz sees a run that completed, not one that merely started.
    beat(BEAT_TICK)
    return len(due)


@shared_task(
    name="reminders.send_email",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=settings.REMINDERS_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=5,
)
def send_email(user_id: int, kind: str, day: str) -> str:
    return str(email_send(user_id=user_id, kind=kind, day=datetime.date.fromisoformat(day)))
