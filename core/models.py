import zoneinfo
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic job ran, by name: /healthz tells a stopped beat from a quiet one."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    at = models.DateTimeField(_("last beat"))

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S %Z}"


def _time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class BusinessSettings(models.Model):
    """The business's own settings, edited by the owner on one page (core.views.business_settings).

    One row (pk 1), read through core.business.business_settings(). Later features add their fields here.
    """

    business_name = models.CharField(
        _("business name"), max_length=100, blank=True,
        help_text=_("Shown in the pages and the emails. Empty: the BUSINESS_NAME setting."),
    )
    hourly_cost = models.DecimalField(
        _("hourly cost"), max_digits=8, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text=_("What an hour of work costs the business (wages, travel, materials): Insights counts each "
                    "customer's cost with it."),
    )
    default_cadence_days = models.PositiveSmallIntegerField(
        _("stay in touch every (days)"), default=90, validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("For a customer with no cadence of their own or of their tags."),
    )
    time_zone = models.CharField(_("business time zone"), max_length=64, default="UTC", choices=_time_zone_choices)
    # Monday = 0 … Sunday = 6, as "0,1,2,3,4".
    working_days = models.CharField(_("working days"), max_length=20, default="0,1,2,3,4")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business settings")
        verbose_name_plural = _("business settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="businesssettings_single_row"),
            models.CheckConstraint(condition=models.Q(hourly_cost__gte=0), name="businesssettings_cost_non_negative"),
            models.CheckConstraint(condition=models.Q(default_cadence_days__gte=1),
                                   name="businesssettings_cadence_positive"),
        ]

    def __str__(self):
        return str(_("Business settings"))

    def get_absolute_url(self):
        return reverse("business_settings")

    @property
    def working_day_numbers(self) -> list[int]:
        return [int(day) for day in self.working_days.split(",") if day.strip().isdigit()]
