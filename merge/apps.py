from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MergeConfig(AppConfig):
    """Cleaning up after an import: possible duplicate customers, and merging two into one."""

    name = "merge"
    verbose_name = _("Merge customers")
