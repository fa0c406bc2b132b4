from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"

    def ready(self):
        from core.history import customer_history_sources
        from core.registries import card_sections

        from .selectors import CUSTOMER_HISTORY, customer_card_history

        # The card's own middle part; the other apps' sections (core.registries) come before and after it.
        card_sections.register("customers/_card_needs.html", lambda *, customer, request: {"customer": customer},
                               order=20)
        # Who changed what, last on the card: the customer's own changes and every registered source's.
        customer_history_sources.register(CUSTOMER_HISTORY, order=10)
        card_sections.register(
            "customers/_card_history.html",
            lambda *, customer, request: {"history": customer_card_history(customer=customer, user=request.user)},
            order=95,
        )
