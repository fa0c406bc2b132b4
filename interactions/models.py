from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


# At module level so that Meta's check constraints can read their values (a nested Meta cannot see the
# model's own class attributes); the model offers them as Interaction.Channel and Interaction.Direction.
class Channel(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("Email")
    TEXT = "text", _("Text")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("They contacted us")
    OUTBOUND = "outbound", _("We contacted them")


class Interaction(models.Model):
    """One call, visit, email or text, with the article's checklist."""

    Channel = Channel
    Direction = Direction

    class Attitude(models.IntegerChoices):
        VERY_UNHAPPY = 1, _("Very unhappy")
        UNHAPPY = 2, _("Unhappy")
        NEUTRAL = 3, _("Neutral")
        HAPPY = 4, _("Happy")
        DELIGHTED = 5, _("Delighted")

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="interactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.CALL)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction, default=Direction.INBOUND)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)

    asked_for = models.TextField(_("what did they ask for?"), blank=True)
    attitude = models.PositiveSmallIntegerField(_("their attitude"), choices=Attitude, null=True, blank=True)
    attitude_note = models.CharField(_("attitude note"), max_length=300, blank=True)
    we_said_did = models.TextField(_("what did we say and do?"), blank=True)
    could_do_better = models.TextField(_("what could we have done better?"), blank=True)
    asked_for_sale = models.BooleanField(_("did we ask for a sale?"), default=False)
    asked_for_referral = models.BooleanField(_("did we ask for a referral?"), default=False)
    more_services_ideas = models.TextField(_("ideas for offering more services"), blank=True)
    resolved_first_contact = models.BooleanField(_("resolved on first contact"), default=False)

    # The validators put the message beside the field; the check constraints below guard every other writer.
    amount_charged = models.DecimalField(
        _("amount charged"), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    amount_refunded = models.DecimalField(
        _("amount refunded"), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    # Set by a phone that logged the visit offline: the same submission sent twice is stored once. Unique per
    # user (interaction_client_key_per_user): a key says nothing about anyone else's visits.
    client_key = models.UUIDField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every save through the services: a form opened before someone else's save is refused
    # instead of silently overwriting it (core.services.model_update with expected_version).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "version", "client_key"])

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The customer card's timeline: interactions.selectors.customer_timeline.
            models.Index(fields=["customer", "-occurred_at", "-id"], name="interaction_timeline_idx"),
            # Today's "recent interactions": interactions.selectors.recent_interactions.
            models.Index(fields=["-occurred_at", "-id"], name="interaction_recent_idx"),
        ]
        constraints = [
            # offline.services.interaction_sync looks a visit up by (user, client_key).
            models.UniqueConstraint(fields=["user", "client_key"], name="interaction_client_key_per_user"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="interaction_channel_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="interaction_direction_valid"),
            models.CheckConstraint(
                condition=Q(attitude__isnull=True) | Q(attitude__gte=1, attitude__lte=5), name="interaction_attitude_range"
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__isnull=True) | Q(duration_seconds__gte=0),
                name="interaction_duration_non_negative",
            ),
            models.CheckConstraint(condition=Q(amount_charged__gte=0), name="interaction_charged_non_negative"),
            models.CheckConstraint(condition=Q(amount_refunded__gte=0), name="interaction_refunded_non_negative"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} with {self.customer} on {self.occurred_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("interactions:edit", args=[self.pk])

    @property
    def duration_display(self) -> str:
        if self.duration_seconds is None:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
