from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"

    def ready(self):
        from core.registries import card_sections

        from . import sections

        card_sections.register("followups/_card_open.html", sections.card_open_context, order=10)
        card_sections.register("followups/_card_done.html", sections.card_done_context, order=90)
