from django.conf import settings
from django.core import checks


@checks.register()
def check_trash_settings(app_configs=None, **kwargs):
    return [
        checks.Error(f"{name} must be at least {minimum}.", id="trash.E001")
        for name, minimum in (("TRASH_RETENTION_DAYS", 0), ("TRASH_PURGE_BATCH_SIZE", 1))
        if getattr(settings, name) < minimum
    ]
