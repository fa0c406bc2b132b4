"""Reads about users that other apps' forms and pages share."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import OWNER_GROUP


def active_users() -> QuerySet:
    """Everyone who can be given work, by name."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def existing_owner():
    """The first owner (group "Owner" or superuser), or None."""
    User = get_user_model()
    return User.objects.filter(Q(is_superuser=True) | Q(groups__name=OWNER_GROUP)).order_by("pk").first()


def user_by_username(username: str):
    """The user with this username, or None."""
    return get_user_model().objects.filter(username=username).first()
