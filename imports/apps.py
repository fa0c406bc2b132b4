from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bringing customers in from a spreadsheet or a phone's contacts: preview, duplicates, a batch that can be undone."""

    name = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from . import tasks  # noqa: F401  (connects the worker_ready resume)
