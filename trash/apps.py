from django.apps import AppConfig


class TrashConfig(AppConfig):
    """Deleting is safe: a deleted customer waits here, with everything that went with them, until restored or purged."""

    name = "trash"
