"""The sent-log's claim discipline, for an email that must go out once per (user, kind, period).

A sender claims the row before sending, then marks its claim sent, failed or skipped. Today the
reminders app is the one sender (the daily reminder and the weekly email).
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .emails import new_message_id
from .models import SentEmail

Status = SentEmail.Status


def email_claim(*, user_id: int, kind: str, period: str) -> SentEmail | None:
    """Take the right to send this email, or None if someone else has it (or it is done).

    Exactly once, and the trade-off: the row is claimed (committed) BEFORE the SMTP call and marked
    sent AFTER it. If the worker dies in between, the claim stays "claimed"; once its lease
    (REMINDERS_CLAIM_LEASE_SECONDS) has run out, the reminders' dispatcher (reminders.selectors.due_emails)
    hands it out again and the next worker re-claims it with a conditional UPDATE, so only one of
    several racing workers wins. A failed claim may be taken over at once (the task's own retry).
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


def claim_sent(claim: SentEmail, *, subject: str) -> None:
    SentEmail.objects.filter(pk=claim.pk).update(
        status=Status.SENT, sent_at=timezone.now(), subject=subject[:200], last_error=""
    )


def claim_failed(claim: SentEmail, exc: BaseException) -> None:
    """Only our own claim: if our lease ran out and another worker took over, the row is theirs."""
    SentEmail.objects.filter(pk=claim.pk, status=Status.CLAIMED, claimed_at=claim.claimed_at).update(
        status=Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:500]
    )


def claim_skipped(claim: SentEmail) -> None:
    """Claimed, then found to have nothing to say."""
    SentEmail.objects.filter(pk=claim.pk, status=Status.CLAIMED).update(status=Status.SKIPPED)
