from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrashConfig(AppConfig):
    """Deleting is safe: a deleted customer waits here, with everything that went with them, until restored or purged."""

    name = "trash"
    verbose_name = _("Trash")

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings checks)
