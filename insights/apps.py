from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """What the articles tell the owner to measure, and the At-risk list that keeps customers from slipping away."""

    name = "insights"
