"""Written service action plans: whom they serve, why, and time-bound steps with owners.

Both models keep their history (django-simple-history) so the plan page can show how a plan evolved.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# How long a new plan runs unless someone says otherwise.
NEW_PLAN_DAYS = 30


def progress_percent(done: int, total: int) -> int:
    """Whole percent of steps done; a plan with no steps has made no progress."""
    if not total:
        return 0
    return round(100 * done / total)


# At module level rather than inside ActionPlan so that its Meta can build the constraints from them.
class PlanAudience(models.TextChoices):
    CUSTOMER = "customer", _("One customer")
    TAG = "tag", _("Customers with a tag")
    ALL = "all", _("All customers")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DRAFT = "draft", _("Draft")
    DONE = "done", _("Done")
    ARCHIVED = "archived", _("Archived")


class ActionPlan(models.Model):
    Audience = PlanAudience
    Status = PlanStatus

    title = models.CharField(_("title"), max_length=200)
    audience_kind = models.CharField(_("whom it serves"), max_length=10, choices=Audience, default=Audience.ALL)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="action_plans",
    )
    tag = models.ForeignKey(
        "customers.Tag",
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="action_plans",
    )
    purpose = models.TextField(
        _("purpose"), blank=True, help_text=_("What the relationship should end up being: the envisioned end.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="action_plans"
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            # The card section looks up active plans by audience: actionplans.selectors.plans_for_customer.
            models.Index(fields=["status", "audience_kind"], name="actionplan_status_audience_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience_kind=PlanAudience.CUSTOMER, customer__isnull=False, tag__isnull=True)
                    | Q(audience_kind=PlanAudience.TAG, customer__isnull=True, tag__isnull=False)
                    | Q(audience_kind=PlanAudience.ALL, customer__isnull=True, tag__isnull=True)
                ),
                name="actionplan_audience_matches_kind",
            ),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="actionplan_ends_after_start"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="actionplan_status_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="actionplan_title_not_empty"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actionplans:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end cannot be before the start.")
        if self.audience_kind == self.Audience.CUSTOMER and self.customer_id is None:
            errors["customer"] = _("Choose the customer this plan serves.")
        elif self.audience_kind == self.Audience.TAG and self.tag_id is None:
            errors["tag"] = _("Choose the tag of the customers this plan serves.")
        for name in self.unused_audience_fields(self.audience_kind):
            setattr(self, name, None)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def unused_audience_fields(audience_kind: str) -> list[str]:
        """The fields a plan serving `audience_kind` leaves empty: the customer unless it serves one, the tag likewise."""
        used = {PlanAudience.CUSTOMER: "customer", PlanAudience.TAG: "tag"}.get(audience_kind)
        return [name for name in ("customer", "tag") if name != used]

    @property
    def audience_label(self) -> str:
        """Whom the plan serves, in words. Needs customer and tag loaded (select_related)."""
        if self.audience_kind == self.Audience.CUSTOMER:
            return str(self.customer)
        if self.audience_kind == self.Audience.TAG:
            return _("Customers tagged “%(tag)s”") % {"tag": self.tag}
        return str(_("All customers"))

    @property
    def progress_percent(self) -> int:
        """Whole percent of steps done. Needs the counts of selectors.with_progress."""
        return progress_percent(self.steps_done, self.steps_total)

    def covers_date(self, day) -> bool:
        return self.start_date <= day <= self.end_date


class ActionStep(models.Model):
    plan = models.ForeignKey(ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="steps")
    what = models.CharField(_("what"), max_length=300)
    due_date = models.DateField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_steps",
    )
    # Order within the plan. Not unique: ties are broken by id, and swapping two steps stays a two-row update.
    position = models.PositiveIntegerField(_("order"), default=0)
    is_creative = models.BooleanField(
        _("creative service action"),
        default=False,
        help_text=_("Do the common thing in an uncommon way: something they will remember."),
    )
    source = models.CharField(
        _("where it came from"), max_length=300, blank=True, help_text=_("For example the feedback it answers.")
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_note = models.TextField(_("note"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Bumped by every save through the services: a form opened before someone else's save is refused
    # instead of silently overwriting it (core.services.model_update with expected_version).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            # Today and the weekly email poll open steps per assignee: actionplans.selectors.steps_due_for_user.
            models.Index(
                fields=["assignee", "due_date"], condition=Q(done_at__isnull=True), name="actionstep_open_due_idx"
            ),
            models.Index(fields=["plan", "position", "id"], name="actionstep_plan_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(done_at__isnull=False) | Q(done_by__isnull=True),
                                   name="actionstep_done_by_only_when_done"),
            models.CheckConstraint(condition=~Q(what=""), name="actionstep_what_not_empty"),
        ]

    def __str__(self):
        return self.what

    def get_absolute_url(self):
        return reverse("actionplans:detail", args=[self.plan_id]) + f"#step-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_done and self.due_date < today

    @property
    def is_outside_plan(self) -> bool:
        """Due before the plan starts or after it ends: allowed, but worth a warning. Needs the plan loaded."""
        return not self.plan.covers_date(self.due_date)
