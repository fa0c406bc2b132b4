"""The sent-log's claim discipline, for an email that must go out once per (user, kind, period).

A sender claims the row before sending, then marks its claim sent, failed or skipped. A failed send
is tried again after a growing pause until its deadline, when the row is marked gave_up: one rule, on
the row (give_up_at, next_attempt_at), decides every retry. Today the reminders app is the one sender
(the daily reminder and the weekly email); its dispatcher hands out the retries.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.timezones import user_time_zone

from .emails import new_message_id
from .models import SentEmail, give_up_time
from .selectors import lease_expired, retry_due

logger = logging.getLogger(__name__)

Status = SentEmail.Status

# "Send again" on an email whose deadline has passed: the owner asked for it, so it is tried for at least this long.
SEND_AGAIN_WINDOW = datetime.timedelta(hours=1)


def retry_delay(attempts: int) -> datetime.timedelta:
    """The pause after the `attempts`-th failed try: REMINDERS_RETRY_BACKOFF_SECONDS, doubled after each
    failure, never more than REMINDERS_RETRY_BACKOFF_MAX_SECONDS."""
    base = settings.REMINDERS_RETRY_BACKOFF_SECONDS
    seconds = min(base * 2 ** min(max(attempts, 1) - 1, 32), settings.REMINDERS_RETRY_BACKOFF_MAX_SECONDS)
    return datetime.timedelta(seconds=seconds)


def email_claim(
    *, user, kind: str, period: str, day: datetime.date, as_of: datetime.datetime | None = None
) -> SentEmail | None:
    """Take the right to send this email, or None if someone else has it (or it is done, or too late).

    Exactly once, and the trade-off: the row is claimed (committed) BEFORE the SMTP call and marked
    sent AFTER it. If the worker dies in between, the claim stays "claimed"; once its lease
    (REMINDERS_CLAIM_LEASE_SECONDS) has run out, the reminders' dispatcher (reminders.selectors.due_emails)
    hands it out again and the next worker re-claims it with a conditional UPDATE, so only one of
    several racing workers wins. A failed claim is taken over the same way once its next_attempt_at
    has come. That makes sending at-least-once in one narrow window: a crash after the SMTP server
    said 250 but before our UPDATE to "sent" commits sends the email a second time after the lease.
    The other order (mark sent, then send) is at-most-once: the same crash loses the email for good.
    We chose the duplicate: a forgotten follow-up costs a customer, a rare second copy costs a
    glance, and the second copy reuses the first Message-ID so many mail clients fold it away.

    The deadline is fixed at the first claim from the user's zone and `day`, the user's local date the
    email is for; a first claim made after it (a task that waited in the queue past midnight) records
    the email as given up instead of sending a stale one. `as_of` is the instant the caller acts at
    (`send_reminders --at`); only that check uses it.
    """
    now = timezone.now()  # bookkeeping uses the real clock, even for `send_reminders --at`
    give_up_at = give_up_time(kind=kind, day=day, zone=user_time_zone(user))
    too_late = give_up_at <= (as_of or now)
    try:
        with transaction.atomic():
            created = SentEmail.objects.create(
                user_id=user.pk,
                kind=kind,
                period=period,
                status=Status.GAVE_UP if too_late else Status.CLAIMED,
                claimed_at=now,
                message_id=new_message_id(),
                give_up_at=give_up_at,
                failing_since=now if too_late else None,
                last_error="Not sent before it stopped being useful (the queue was late)." if too_late else "",
            )
    except IntegrityError:
        pass
    else:
        if too_late:
            logger.warning("Gave up on %s %s for user %s: its deadline had passed", kind, period, user.pk)
            return None
        return created
    # Someone has the row. Take it over only if it is due a retry: the conditional UPDATE is atomic,
    # so of two workers doing this, one gets 1.
    existing = SentEmail.objects.filter(user_id=user.pk, kind=kind, period=period)
    won = existing.filter(retry_due(now)).update(status=Status.CLAIMED, claimed_at=now, attempts=F("attempts") + 1)
    return existing.get() if won == 1 else None


def claim_sent(claim: SentEmail, *, subject: str) -> None:
    SentEmail.objects.filter(pk=claim.pk).update(
        status=Status.SENT, sent_at=timezone.now(), subject=subject[:200], last_error="", next_attempt_at=None
    )


def claim_failed(claim: SentEmail, exc: BaseException) -> None:
    """Our claim failed: try again after retry_delay, or give up if that would be past the deadline.

    Only our own claim: if our lease ran out and another worker took over, the row is theirs.
    """
    now = timezone.now()
    next_attempt_at = now + retry_delay(claim.attempts)
    gives_up = claim.give_up_at is None or next_attempt_at >= claim.give_up_at
    updated = SentEmail.objects.filter(pk=claim.pk, status=Status.CLAIMED, claimed_at=claim.claimed_at).update(
        status=Status.GAVE_UP if gives_up else Status.FAILED,
        next_attempt_at=None if gives_up else next_attempt_at,
        failing_since=Coalesce(F("failing_since"), now),
        last_error=f"{type(exc).__name__}: {exc}"[:500],
    )
    if updated and gives_up:
        logger.error("Gave up on %s %s for user %s after %s attempts: %s", claim.kind, claim.period, claim.user_id,
                     claim.attempts, exc)


def claim_skipped(claim: SentEmail) -> None:
    """Claimed, then found to have nothing to say."""
    SentEmail.objects.filter(pk=claim.pk, status=Status.CLAIMED).update(status=Status.SKIPPED, next_attempt_at=None)


def claim_deliver(claim: SentEmail, message: EmailMessage, *, subject: str) -> None:
    """Send `message` for our claim and record the outcome; raises what the mail server raised.

    The claim is marked sent as soon as the server has accepted the message (DATA answered 250), BEFORE
    the connection is closed: a server slow to answer QUIT (EMAIL_TIMEOUT) has the email already, and
    a retry would send it twice. So whatever closing raises is logged, never a failure of the send.
    """
    connection = get_connection()
    try:
        connection.open()
        connection.send_messages([message])
    except Exception as exc:
        claim_failed(claim, exc)
        _close_quietly(connection)
        raise
    claim_sent(claim, subject=subject)
    _close_quietly(connection)


def _close_quietly(connection) -> None:
    smtp = getattr(connection, "connection", None)  # the SMTP backend's socket, to drop if QUIT fails
    try:
        connection.close()
    except Exception as exc:  # noqa: BLE001 - the send is settled; closing cannot change it
        logger.warning("Closing the mail connection failed after the send was settled: %r", exc)
        if smtp is not None:
            smtp.close()


def emails_give_up(*, now: datetime.datetime) -> int:
    """Mark given up every unsettled email whose deadline has passed (the dispatcher calls it each run)."""
    count = SentEmail.objects.filter(
        Q(status=Status.FAILED) | lease_expired(now), Q(give_up_at__lte=now) | Q(give_up_at__isnull=True)
    ).update(status=Status.GAVE_UP, next_attempt_at=None, failing_since=Coalesce(F("failing_since"), now))
    if count:
        logger.error("Gave up on %s email(s): their deadline passed while sending kept failing", count)
    return count


def email_send_again(*, email: SentEmail, now: datetime.datetime) -> bool:
    """The owner's "Send again": a failed or given-up email is due at the dispatcher's next run.

    Its deadline moves to at least SEND_AGAIN_WINDOW from now. False when it is no longer failed (sent
    meanwhile, or being sent).
    """
    give_up_at = max(email.give_up_at or now, now + SEND_AGAIN_WINDOW)
    return bool(
        SentEmail.objects.filter(pk=email.pk, status__in=[Status.FAILED, Status.GAVE_UP]).update(
            status=Status.FAILED, next_attempt_at=now, give_up_at=give_up_at
        )
    )
