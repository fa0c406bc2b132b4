import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


# At module level so that Meta's check constraints can read their values (a nested Meta cannot see the
# model's own class attributes); the model offers them as SentEmail.Kind and SentEmail.Status.
class Kind(models.TextChoices):
    REMINDER = "reminder", _("Daily follow-up reminder")
    DIGEST = "digest", _("Weekly email")


class Status(models.TextChoices):
    CLAIMED = "claimed", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    SKIPPED = "skipped", _("Nothing to send")
    GAVE_UP = "gave_up", _("Not sent: gave up")


# How many of the user's local days, counted from the day it is for, an email is still worth sending:
# a reminder of today's follow-ups is stale tomorrow; the weekly email still helps the day after.
USEFUL_DAYS = {Kind.REMINDER: 1, Kind.DIGEST: 2}


def give_up_time(*, kind: str, day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    """When sending this email stops being useful: local midnight at the end of its last useful day, in UTC."""
    last_midnight = datetime.datetime.combine(day + datetime.timedelta(days=USEFUL_DAYS[kind]), datetime.time.min)
    return last_midnight.replace(tzinfo=zone).astimezone(datetime.UTC)


class SentEmail(models.Model):
    """The sent-log: one row per (user, kind, period), claimed before the email is sent.

    The unique constraint is what makes each email go out once: whoever inserts the row owns
    the send (mail.services.email_claim explains the lease and the trade-off). A send that fails
    is tried again after a growing pause (next_attempt_at) until its deadline (give_up_at), then
    the row is marked gave_up and the owner is told (Today, /mail/failed/).
    """

    Kind = Kind
    Status = Status

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_emails")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    # The user's local date for the daily reminder ("2026-03-29"), the ISO week for the weekly email ("2026-W13").
    period = models.CharField(_("period"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CLAIMED)
    claimed_at = models.DateTimeField(_("claimed"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    # Chosen at the first claim and reused by every attempt, so a resend after a crash carries the same
    # Message-ID and mail clients that fold duplicates show it once.
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # Set at the first claim from the user's time zone and the kind (give_up_time). Empty only on rows
    # settled before deadlines existed; an unsettled row without one is given up, never retried.
    give_up_at = models.DateTimeField(_("give up at"), null=True, blank=True)
    # When a failed send may be tried again (mail.services.retry_delay); empty while nothing failed.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The first failure of this email, kept across attempts: "mail is failing since …".
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "period"], name="sentemail_once_per_period"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="sentemail_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="sentemail_status_valid"),
            models.CheckConstraint(
                condition=Q(status=Status.SENT, sent_at__isnull=False) | ~Q(status=Status.SENT), name="sentemail_sent_has_time"
            ),
            models.CheckConstraint(condition=Q(attempts__gte=1), name="sentemail_attempts_positive"),
        ]
        indexes = [
            # The rows that are not settled: the dispatcher's retries (reminders.selectors.due_emails), the
            # deadline sweep (mail.services.emails_give_up), the owner's notice and list (mail.selectors).
            models.Index(
                fields=["give_up_at"],
                name="sentemail_unsettled_idx",
                condition=Q(status__in=[Status.CLAIMED, Status.FAILED, Status.GAVE_UP]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} ({self.period}): {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("admin:mail_sentemail_change", args=[self.pk])
