from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = "Service action plans"

    def ready(self):
        from core.registries import card_sections, digest_sections, improvement_actions, today_sections

        from . import sections

        card_sections.register("actionplans/_card_section.html", sections.card_context, order=40)
        today_sections.register("actionplans/_today_section.html", sections.today_context, order=40)
        digest_sections.register("actionplans/emails/digest_section", sections.digest_context, order=40)
        # "Make this a plan step" beside each improvement on the feedback page and the card.
        improvement_actions.register("actionplans/_from_improvement.html")
