from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from core.history import customer_history_sources
        from core.registries import card_sections, digest_sections, today_sections

        from . import sections
        from .selectors import FEEDBACK_HISTORY

        card_sections.register("feedback/_card_section.html", sections.card_context, order=30)
        today_sections.register("feedback/_today_section.html", sections.today_context, order=30)
        digest_sections.register("feedback/emails/digest_section", sections.digest_context, order=40)
        customer_history_sources.register(FEEDBACK_HISTORY, order=40)
