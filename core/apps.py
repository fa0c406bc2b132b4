from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared code at the bottom of the app graph: every app may import core, core imports no app."""

    name = "core"
