"""The business's settings, read once per request at most."""

from django.conf import settings

from .models import BusinessSettings


def business_settings() -> BusinessSettings:
    """The one row of settings, created with the defaults the first time it is asked for."""
    row, _created = BusinessSettings.objects.get_or_create(pk=1)
    return row


def business_name(row: BusinessSettings | None = None) -> str:
    row = row or business_settings()
    return row.business_name or settings.BUSINESS_NAME
