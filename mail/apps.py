from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """Every outgoing email: the builder (emails.py), the sent-log and its claim discipline (services.py)."""

    name = "mail"
    verbose_name = _("Outgoing email")
