"""Writes for the reminders: compose the daily reminder and the weekly email, and send each once.

The once is the mail app's: email_send claims the sent-log row (mail.services.email_claim) before it
sends and marks the claim sent, failed or skipped after; mail.emails builds the message. A failed send
is not retried here: the row says when to try again and until when, and the dispatcher hands it out.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.timezones import user_time_zone
from core.lists import first_n_with_total
from followups.selectors import user_followups_until
from mail.emails import build_message, preferences_url, render_email
from mail.models import SentEmail
from mail.services import claim_deliver, claim_skipped, email_claim, emails_give_up

from .digest import digest_section_list
from .selectors import due_emails, period_for

logger = logging.getLogger(__name__)

Kind = SentEmail.Kind
Status = SentEmail.Status


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Outcome:
    user: str
    kind: str
    period: str
    result: str  # "sent", "would send", "nothing to send", "already handled", "not wanted"
    subject: str = ""

    def __str__(self):
        what = f"{self.kind} {self.period} to {self.user}: {self.result}"
        return f"{what} — {self.subject}" if self.subject else what


def email_compose(*, user, kind: str, day: datetime.date, now: datetime.datetime) -> Composed | None:
    """The email for this user and local day, or None when there is nothing to say."""
    base = {
        "user": user,
        "today": day,
        "business_name": settings.BUSINESS_NAME,
        "site_url": settings.SITE_URL,
        "preferences_url": preferences_url(),
    }
    if kind == Kind.REMINDER:
        # Overdue ones keep coming back every day until they are done or rescheduled: "never give up first".
        # Each list is bounded like the weekly email's; the counts say how many there are in all.
        due_today = first_n_with_total(user_followups_until(user=user, until=day).filter(due_date=day))
        overdue = first_n_with_total(user_followups_until(user=user, until=day - datetime.timedelta(days=1)))
        if not due_today["count"] and not overdue["count"]:
            return None
        context = base | {
            "due_today": due_today["items"], "due_today_count": due_today["count"], "due_today_more": due_today["more"],
            "overdue": overdue["items"], "overdue_count": overdue["count"], "overdue_more": overdue["more"],
        }
        prefix = "reminders/emails/reminder"
    else:
        sections = digest_section_list(user=user, today=day, now=now)
        if not sections and settings.REMINDERS_SKIP_EMPTY_DIGEST:
            return None
        context = base | {"sections": sections}
        prefix = "reminders/emails/digest"
    with timezone.override(user_time_zone(user)):
        return Composed(*render_email(prefix, context))


def email_send(
    *, user_id: int, kind: str, day: datetime.date, now: datetime.datetime | None = None, dry_run: bool = False
) -> Outcome:
    """Send one user's reminder or weekly email for their local `day`, unless it has been sent.

    Raises what the mail server raised when sending fails; the claim is then marked failed, with its next
    attempt (or given up, past its deadline), for the dispatcher to hand out again.
    """
    as_of = now
    now = now or timezone.now()
    period = period_for(kind=kind, day=day)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    wanted = user is not None and (user.reminders_enabled if kind == Kind.REMINDER else user.digest_enabled)
    if not wanted:
        return Outcome(user=str(user or user_id), kind=kind, period=period, result="not wanted")
    if dry_run:
        composed = email_compose(user=user, kind=kind, day=day, now=now)
        result = "would send" if composed else "nothing to send"
        return Outcome(user=user.email, kind=kind, period=period, result=result, subject=composed.subject if composed else "")

    claim = email_claim(user=user, kind=kind, period=period, day=day, as_of=as_of)
    if claim is None:
        return Outcome(user=user.email, kind=kind, period=period, result="already handled")
    composed = email_compose(user=user, kind=kind, day=day, now=now)
    if composed is None:
        claim_skipped(claim)
        return Outcome(user=user.email, kind=kind, period=period, result="nothing to send")

    message = build_message(
        user=user, subject=composed.subject, text=composed.text, html=composed.html, message_id=claim.message_id
    )
    claim_deliver(claim, message, subject=composed.subject)
    logger.info("Sent %s %s to %s", kind, period, user.email)
    return Outcome(user=user.email, kind=kind, period=period, result="sent", subject=composed.subject)


def emails_send_due(*, now: datetime.datetime, dry_run: bool = False, limit: int | None = None) -> list[Outcome]:
    """What the dispatcher queues, done here and now (the send_reminders command)."""
    outcomes = []
    if not dry_run:
        emails_give_up(now=timezone.now())
    for due in due_emails(now=now, limit=limit):
        try:
            outcomes.append(email_send(user_id=due.user_id, kind=due.kind, day=due.day, now=now, dry_run=dry_run))
        except (smtplib.SMTPException, OSError) as exc:  # the claim is marked failed, with its next attempt
            outcomes.append(Outcome(user=str(due.user_id), kind=due.kind, period=due.period, result=f"failed: {exc}"))
    return outcomes
