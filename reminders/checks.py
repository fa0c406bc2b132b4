from django.conf import settings
from django.core import checks


@checks.register()
def check_reminder_settings(app_configs=None, **kwargs):
    errors = []
    for name, minimum in (
        ("REMINDERS_BATCH_SIZE", 1),
        ("REMINDERS_CLAIM_LEASE_SECONDS", 1),
        ("REMINDERS_RETRY_BACKOFF_SECONDS", 1),
        ("REMINDERS_RETRY_BACKOFF_MAX_SECONDS", 1),
    ):
        if getattr(settings, name) < minimum:
            errors.append(checks.Error(f"{name} must be at least {minimum}.", id="reminders.E001"))
    if settings.REMINDERS_RETRY_BACKOFF_MAX_SECONDS < settings.REMINDERS_RETRY_BACKOFF_SECONDS:
        errors.append(checks.Error(
            "REMINDERS_RETRY_BACKOFF_MAX_SECONDS must be at least REMINDERS_RETRY_BACKOFF_SECONDS.", id="reminders.E003"
        ))
    if not settings.SITE_URL.startswith(("http://", "https://")):
        errors.append(
            checks.Error("SITE_URL must start with http:// or https:// (links in emails).", id="reminders.E002")
        )
    return errors
