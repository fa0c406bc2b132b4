from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders and weekly email")

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings checks)
        from .digest import register_sections

        register_sections()
