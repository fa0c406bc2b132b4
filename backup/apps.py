from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """The owner's full backup (a .zip that restores into an empty database) and one customer's data on request."""

    name = "backup"
    verbose_name = _("Backup")
