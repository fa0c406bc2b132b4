from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """What the articles tell the owner to measure, and the At-risk list that keeps customers from slipping away."""

    name = "insights"

    def ready(self):
        from core.registries import card_sections, digest_sections, today_sections

        from . import sections

        # Keep your customers: the cadence on the card, "Call once more" first on Today (a negative order puts
        # it above the follow-up lists), and the At-risk customers in the weekly email.
        card_sections.register("insights/_card_cadence.html", sections.card_context, order=5)
        today_sections.register("insights/_today_at_risk.html", sections.today_context, order=-10)
        digest_sections.register("insights/emails/digest_at_risk", sections.digest_context, order=60)
