from django.apps import AppConfig


class HealthConfig(AppConfig):
    """/healthz for an uptime monitor: is the database, the broker, beat and the mail working?"""

    name = "health"
