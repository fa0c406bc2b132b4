from django.apps import AppConfig


class TeamConfig(AppConfig):
    """The owner's administration of the team: add a worker, take a leaver's access away, lift a lockout."""

    name = "team"
