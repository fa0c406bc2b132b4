"""The article's two questions: three things you like, three things we could improve.

A Feedback holds up to three likes and three improvements as FeedbackItem rows, so that each
improvement can be acted on (and point at the follow-up that acts on it). A FeedbackRequest is
the private link emailed to a customer; it is answered at most once.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Customer
from followups.models import FollowUp

MAX_ITEMS_PER_KIND = 3


# The choices live outside their models so that the models' check constraints can be built from them.
class FeedbackChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    LINK = "link", _("The customer's own link")


class FeedbackItemKind(models.TextChoices):
    LIKE = "like", _("Something they like")
    IMPROVEMENT = "improvement", _("Something we could improve")


class Feedback(models.Model):
    Channel = FeedbackChannel

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("overall rating"), null=True, blank=True)
    channel = models.CharField(_("how it was received"), max_length=10, choices=Channel, default=Channel.IN_PERSON)
    received_at = models.DateTimeField(_("when"), default=timezone.now)
    # Null when the customer answered on their own link (or the user was deleted).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = _("feedback")
        indexes = [
            # The customer card's feedback section: feedback.selectors.customer_feedback.
            models.Index(fields=["customer", "-received_at", "-id"], name="feedback_customer_idx"),
            # The feedback page, Today and the weekly email read by date: feedback.selectors.
            models.Index(fields=["-received_at", "-id"], name="feedback_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=FeedbackChannel.values), name="feedback_channel_valid"
            ),
            # Nobody on the staff records what the customer typed on their own link.
            models.CheckConstraint(
                condition=~Q(channel=FeedbackChannel.LINK) | Q(recorded_by__isnull=True), name="feedback_link_not_recorded_by_staff"
            ),
        ]

    def __str__(self):
        return f"Feedback from {self.customer} on {self.received_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.customer_id]) + f"#feedback-{self.pk}"

    def _items_of(self, kind):
        # Uses the prefetched items when the selector loaded them.
        return [item for item in self.items.all() if item.kind == kind]

    @property
    def likes(self) -> list["FeedbackItem"]:
        return self._items_of(FeedbackItem.Kind.LIKE)

    @property
    def improvements(self) -> list["FeedbackItem"]:
        return self._items_of(FeedbackItem.Kind.IMPROVEMENT)


class FeedbackItem(models.Model):
    """One answer: a thing they like, or a thing we could improve (which can become a follow-up)."""

    Kind = FeedbackItemKind

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("answer"), max_length=300)
    # What was done about an improvement: feedback.services.improvement_followup_create.
    followup = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
    )

    class Meta:
        ordering = ["feedback", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "kind", "position"], name="feedbackitem_unique_position"),
            models.CheckConstraint(condition=Q(kind__in=FeedbackItemKind.values), name="feedbackitem_kind_valid"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_ITEMS_PER_KIND), name="feedbackitem_position_range"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="feedbackitem_text_not_empty"),
            models.CheckConstraint(
                condition=Q(followup__isnull=True) | Q(kind=FeedbackItemKind.IMPROVEMENT), name="feedbackitem_followup_only_improvement"
            ),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.feedback.customer_id]) + f"#improvement-{self.pk}"


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


class FeedbackRequestQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class FeedbackRequest(models.Model):
    """A private link emailed to the customer. The link is a signed token over `nonce` (feedback.tokens)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="feedback_requests")
    # Random and never shown anywhere but inside the signed link.
    nonce = models.CharField(max_length=64, unique=True, default=new_nonce, editable=False)
    email = models.EmailField(_("sent to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    # Claimed by feedback.tasks.feedback_request_send with a conditional update, so it is sent once.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    feedback = models.OneToOneField(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )

    objects = FeedbackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The customer card lists a customer's requests: feedback.selectors.customer_feedback_requests.
            models.Index(fields=["customer", "-created_at"], name="feedbackrequest_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback__isnull=True) | Q(answered_at__isnull=False),
                name="feedbackrequest_feedback_means_answered",
            ),
        ]

    def __str__(self):
        return f"Feedback request to {self.customer} on {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.customer_id]) + "#feedback-requests"

    @property
    def expires_at(self):
        return self.created_at + datetime.timedelta(days=settings.FEEDBACK_LINK_MAX_AGE_DAYS)

    def status(self, now=None) -> str:
        """answered, expired, pending (sent, waiting) or queued (not sent yet)."""
        now = now or timezone.now()
        if self.answered_at:
            return "answered"
        if now >= self.expires_at:
            return "expired"
        return "pending" if self.sent_at else "queued"
