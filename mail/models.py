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


class SentEmail(models.Model):
    """The sent-log: one row per (user, kind, period), claimed before the email is sent.

    The unique constraint is what makes each email go out once: whoever inserts the row owns
    the send (mail.services.email_claim explains the lease and the trade-off).
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
            # The dispatcher looks for unfinished claims to hand out again: reminders.selectors.due_emails.
            models.Index(
                fields=["kind", "period"],
                name="sentemail_unfinished_idx",
                condition=Q(status__in=[Status.CLAIMED, Status.FAILED]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} ({self.period}): {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("admin:mail_sentemail_change", args=[self.pk])
