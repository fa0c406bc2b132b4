"""Reads of the sent-log: which emails are due a retry, is mail failing, which emails did not go out."""

import datetime

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet

from core.lists import first_n_with_total

from .models import SentEmail

Status = SentEmail.Status

# How long an email that was given up stays on Today and on the failed page.
RECENT_DAYS = 7


def lease_expired(now: datetime.datetime) -> Q:
    """A claim whose worker has had it longer than REMINDERS_CLAIM_LEASE_SECONDS: that worker died."""
    lease = datetime.timedelta(seconds=settings.REMINDERS_CLAIM_LEASE_SECONDS)
    return Q(status=Status.CLAIMED, claimed_at__lt=now - lease)


def retry_due(now: datetime.datetime) -> Q:
    """Rows to try again now: a failed send whose pause is over, or a claim whose lease ran out, both
    before their deadline. The one rule the dispatcher and email_claim share."""
    return (Q(status=Status.FAILED, next_attempt_at__lte=now) | lease_expired(now)) & Q(give_up_at__gt=now)


def _failing(now: datetime.datetime) -> Q:
    """Still being retried, or given up in the last RECENT_DAYS."""
    return Q(status=Status.FAILED) | Q(
        status=Status.GAVE_UP, give_up_at__gte=now - datetime.timedelta(days=RECENT_DAYS)
    )


def mail_failing(*, now: datetime.datetime) -> dict | None:
    """{"since", "retrying", "gave_up"} when some email is failing (see _failing), else None. One query."""
    facts = SentEmail.objects.filter(_failing(now)).aggregate(
        since=Min("failing_since"),
        retrying=Count("pk", filter=Q(status=Status.FAILED)),
        gave_up=Count("pk", filter=Q(status=Status.GAVE_UP)),
    )
    if not facts["retrying"] and not facts["gave_up"]:
        return None
    return facts


def failed_emails(*, now: datetime.datetime) -> dict:
    """The failing emails, those still retried first, each newest first: first_n_with_total's dict."""
    emails: QuerySet[SentEmail] = (
        SentEmail.objects.filter(_failing(now)).select_related("user").order_by("status", "-claimed_at", "-id")
    )
    return first_n_with_total(emails)


def sent_email_get(*, pk: int) -> SentEmail | None:
    return SentEmail.objects.select_related("user").filter(pk=pk).first()
