from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """Every outgoing email: the builder (emails.py), the sent-log and its claim discipline (services.py),
    and the owner's view of what failed (Today's notice, /mail/failed/)."""

    name = "mail"
    verbose_name = _("Outgoing email")

    def ready(self):
        from core.registries import today_sections

        from . import sections

        # First on Today's side column: nobody else is told when mail stops going out.
        today_sections.register("mail/_today_section.html", sections.today_context, order=5)
