from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "interactions"

    def ready(self):
        from core.history import customer_history_sources
        from core.registries import card_sections

        from .selectors import INTERACTION_HISTORY, customer_timeline

        card_sections.register(
            "interactions/_card_timeline.html",
            lambda *, customer, request: {"timeline": customer_timeline(customer_id=customer.pk)},
            order=25,
        )
        # The card's History section (customers/apps.py) lists these beside the customer's own changes.
        customer_history_sources.register(INTERACTION_HISTORY, order=20)
