"""Celery tasks: a periodic dispatcher that queues one send task per due email.

Both take and pass only ids and dates, are idempotent (the sent-log claim makes a repeated
send a no-op), and do bounded work per run (REMINDERS_BATCH_SIZE).

A failed send is not retried by its task: the sent-log row holds when to try again and until when
(mail.services.claim_failed), and the dispatcher hands the retries out with the new emails. One
mechanism decides, so an outage of any length short of the email's deadline loses nothing.
"""

import datetime
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.heartbeat import BEAT_TICK, beat
from mail.services import emails_give_up

from .selectors import due_emails
from .services import email_send

logger = logging.getLogger(__name__)


@shared_task(name="reminders.dispatch", ignore_result=True)
def dispatch() -> int:
    """Queue a send for every user whose email is due now, retries included. Safe to run twice at once."""
    now = timezone.now()
    emails_give_up(now=now)
    due = due_emails(now=now, limit=settings.REMINDERS_BATCH_SIZE)
    for item in due:
        send_email.delay_on_commit(item.user_id, item.kind, item.day.isoformat())
    # After the work, so /healthz sees a run that completed, not one that merely started.
    beat(BEAT_TICK)
    return len(due)


@shared_task(name="reminders.send_email", ignore_result=True, acks_late=True)
def send_email(user_id: int, kind: str, day: str) -> str:
    try:
        return str(email_send(user_id=user_id, kind=kind, day=datetime.date.fromisoformat(day)))
    except (smtplib.SMTPException, OSError) as exc:
        # Marked failed with its next attempt; the dispatcher hands it out again then.
        logger.warning("Sending %s for %s to user %s failed: %r", kind, day, user_id, exc)
        return f"{kind} {day} to {user_id}: failed: {exc}"
