from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)


class FollowUp(models.Model):
    """What to do next, and when: from an interaction or on its own."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="followups")
    interaction = models.ForeignKey(
        "interactions.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="followups"
    )
    description = models.CharField(_("what to do"), max_length=300)
    due_date = models.DateField(_("due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="followups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    outcome = models.TextField(_("outcome"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    # Who had it before: a leaver's open follow-ups are handed on (team.services.user_deactivate).
    # The outcome notes too: erasing a customer for good removes these rows with them (trash.services).
    # Bumped by every save through the services: a form opened before someone else's save is refused
    # instead of silently overwriting it (core.services.model_update with expected_version).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # Today and the reminders read open follow-ups by assignee and due date.
            models.Index(
                fields=["assigned_to", "due_date"],
                name="followup_open_by_assignee_idx",
                condition=Q(done_at__isnull=True),
            ),
            # The customer card lists a customer's open follow-ups first.
            models.Index(fields=["customer", "due_date"], name="followup_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(attempts__gte=1), name="followup_attempts_positive"),
            models.CheckConstraint(condition=~Q(description=""), name="followup_description_not_empty"),
        ]

    def __str__(self):
        return f"{self.description} ({self.customer}, due {self.due_date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.customer_id]) + f"#followup-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_done and self.due_date < today
