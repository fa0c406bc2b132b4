"""Reads about users that other apps' forms and pages share."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet


def active_users() -> QuerySet:
    """Everyone who can be given work, by name."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
