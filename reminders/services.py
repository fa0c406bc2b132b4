"""Writes for the reminders: claim a sent-log row, compose the email, send it, record the outcome."""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.timezones import user_time_zone
from interactions.selectors import user_followups_until

from .digest import digest_section_list, listed
from .emails import build_message, new_message_id, preferences_url, render_email
from .models import SentEmail
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
        due_today = listed(user_followups_until(user=user, until=day).filter(due_date=day))
        overdue = listed(user_followups_until(user=user, until=day - datetime.timedelta(days=1)))
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


def email_claim(*, user_id: int, kind: str, period: str) -> SentEmail | None:
    """Take the right to send this email, or None if someone else has it (or it is done).

    Exactly once, and the trade-off: the row is claimed (committed) BEFORE the SMTP call and marked
    sent AFTER it. If the worker dies in between, the claim stays "claimed"; once its lease
    (REMINDERS_CLAIM_LEASE_SECONDS) has run out, the dispatcher hands it out again and the next
    worker re-claims it with a conditional UPDATE, so only one of several racing workers wins.
    That makes sending at-least-once in one narrow window: a crash after the SMTP server said 250
    but before our UPDATE to "sent" commits sends the email a second time after the lease. The
    other order (mark sent, then send) is at-most-once: the same crash loses the email for good.
    We chose the duplicate: a forgotten follow-up costs a customer, a rare second copy costs a
    glance, and the second copy reuses the first Message-ID so many mail clients fold it away.
    """
    now = timezone.now()  # bookkeeping uses the real clock, even for `send_reminders --at`
    try:
        with transaction.atomic():
            return SentEmail.objects.create(
                user_id=user_id,
                kind=kind,
                period=period,
                status=Status.CLAIMED,
                claimed_at=now,
                message_id=new_message_id(),
            )
    except IntegrityError:
        pass
    # Someone has the row. Take it over only if their attempt failed, or their lease ran out (their
    # worker died): the conditional UPDATE is atomic, so of two workers doing this, one gets 1.
    lease = datetime.timedelta(seconds=settings.REMINDERS_CLAIM_LEASE_SECONDS)
    takeover = Q(status=Status.FAILED) | Q(status=Status.CLAIMED, claimed_at__lt=now - lease)
    existing = SentEmail.objects.filter(user_id=user_id, kind=kind, period=period)
    won = existing.filter(takeover, attempts__lt=settings.REMINDERS_MAX_ATTEMPTS).update(
        status=Status.CLAIMED, claimed_at=now, attempts=F("attempts") + 1
    )
    return existing.get() if won == 1 else None


def email_send(
    *, user_id: int, kind: str, day: datetime.date, now: datetime.datetime | None = None, dry_run: bool = False
) -> Outcome:
    """Send one user's reminder or weekly email for their local `day`, unless it has been sent.

    Raises the SMTP error when sending fails (the task retries it); the claim is then marked failed
    so that the retry can take it over at once.
    """
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

    claim = email_claim(user_id=user.pk, kind=kind, period=period)
    if claim is None:
        return Outcome(user=user.email, kind=kind, period=period, result="already handled")
    composed = email_compose(user=user, kind=kind, day=day, now=now)
    if composed is None:
        SentEmail.objects.filter(pk=claim.pk, status=Status.CLAIMED).update(status=Status.SKIPPED)
        return Outcome(user=user.email, kind=kind, period=period, result="nothing to send")

    message = build_message(
        user=user, subject=composed.subject, text=composed.text, html=composed.html, message_id=claim.message_id
    )
    try:
        message.send()
    except Exception as exc:
        # Only our own claim: if our lease ran out and another worker took over, the row is theirs.
        SentEmail.objects.filter(pk=claim.pk, status=Status.CLAIMED, claimed_at=claim.claimed_at).update(
            status=Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    SentEmail.objects.filter(pk=claim.pk).update(
        status=Status.SENT, sent_at=timezone.now(), subject=composed.subject[:200], last_error=""
    )
    logger.info("Sent %s %s to %s", kind, period, user.email)
    return Outcome(user=user.email, kind=kind, period=period, result="sent", subject=composed.subject)


def emails_send_due(*, now: datetime.datetime, dry_run: bool = False, limit: int | None = None) -> list[Outcome]:
    """What the dispatcher queues, done here and now (the send_reminders command)."""
    outcomes = []
    for due in due_emails(now=now, limit=limit):
        try:
            outcomes.append(email_send(user_id=due.user_id, kind=due.kind, day=due.day, now=now, dry_run=dry_run))
        except (smtplib.SMTPException, OSError) as exc:  # the claim is marked failed; the next run retries it
            outcomes.append(Outcome(user=str(due.user_id), kind=due.kind, period=due.period, result=f"failed: {exc}"))
    return outcomes
