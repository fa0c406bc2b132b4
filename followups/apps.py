from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"

    def ready(self):
        from core.history import customer_history_sources
        from core.registries import card_sections

        from . import sections
        from .selectors import FOLLOWUP_HISTORY

        card_sections.register("followups/_card_open.html", sections.card_open_context, order=10)
        card_sections.register("followups/_card_done.html", sections.card_done_context, order=90)
        # The card's History section (customers/apps.py) lists these beside the customer's own changes.
        customer_history_sources.register(FOLLOWUP_HISTORY, order=30)
