from django.apps import AppConfig


class OfflineConfig(AppConfig):
    """The phone side: installable app (manifest, service worker), quick search, offline reading and logging."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "offline"
    verbose_name = "On site and offline"
