from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "interactions"

    def ready(self):
        from core.registries import card_sections

        from .selectors import customer_timeline

        card_sections.register(
            "interactions/_card_timeline.html",
            lambda *, customer, request: {"timeline": customer_timeline(customer_id=customer.pk)},
            order=25,
        )
