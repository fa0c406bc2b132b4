import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

OWNER_GROUP = "Owner"
FIELD_WORKER_GROUP = "Field worker"


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class User(AbstractUser):
    """A member of the business: the owner or a field worker (Django groups)."""

    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        choices=time_zone_choices,
        help_text=_("Dates and times are shown in this zone."),
    )

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    # Email preferences: used by the reminders app, set on the profile page.
    reminders_enabled = models.BooleanField(_("daily follow-up reminder"), default=True)
    reminder_hour = models.PositiveSmallIntegerField(
        _("reminder hour"), default=8, help_text=_("Hour of the day (0-23), in your time zone.")
    )
    digest_enabled = models.BooleanField(_("weekly email"), default=True)
    digest_weekday = models.PositiveSmallIntegerField(_("weekly email day"), choices=Weekday, default=Weekday.MONDAY)
    digest_hour = models.PositiveSmallIntegerField(
        _("weekly email hour"), default=7, help_text=_("Hour of the day (0-23), in your time zone.")
    )

    # Mixed into every session's signature: a new value (accounts.services.user_sign_out_everywhere) makes every
    # session of this user, on every device, invalid at its next request. Empty until first rotated, so that
    # sessions signed before the field existed stay valid.
    session_token = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(reminder_hour__lte=23), name="user_reminder_hour_valid"),
            models.CheckConstraint(condition=models.Q(digest_hour__lte=23), name="user_digest_hour_valid"),
            models.CheckConstraint(condition=models.Q(digest_weekday__lte=6), name="user_digest_weekday_valid"),
        ]
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_session_auth_hash(self):
        return self._session_auth_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret=fallback_secret)

    def _session_auth_hash(self, *, secret):
        # Django's own salt and recipe with the token appended: with an empty token the hash is Django's.
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            self.password + self.session_token,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_owner(self) -> bool:
        """The owner sees everything, money and administration included."""
        if self.is_superuser:
            return True
        # Cached per instance: templates ask several times per page.
        if not hasattr(self, "_is_owner"):
            self._is_owner = self.groups.filter(name=OWNER_GROUP).exists()
        return self._is_owner
