from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"

    def ready(self):
        from core.registries import card_sections

        # The card's own middle part; the other apps' sections (core.registries) come before and after it.
        card_sections.register("customers/_card_needs.html", lambda *, customer, request: {"customer": customer},
                               order=20)
