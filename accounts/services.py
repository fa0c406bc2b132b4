"""Writes that touch users. Keyword-only, validated, in a transaction."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from core.services import model_update

from .models import FIELD_WORKER_GROUP, OWNER_GROUP

DEFAULT_OWNER_USERNAME = "owner"

# What a user may change about themself on the profile page.
PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "time_zone",
    "reminders_enabled",
    "reminder_hour",
    "digest_enabled",
    "digest_weekday",
    "digest_hour",
]


def user_group_add(*, user, group_name: str) -> None:
    user.groups.add(Group.objects.get_or_create(name=group_name)[0])


def _user_save(*, user, password: str, group_name: str):
    """Sets `password` (a generated one when empty), validates, saves, adds the group. Returns (user, password)."""
    password = password or secrets.token_urlsafe(12)
    user.set_password(password)
    user.full_clean()
    user.save()
    user_group_add(user=user, group_name=group_name)
    return user, password


@transaction.atomic
def owner_create(*, username: str, email: str = "", password: str = ""):
    """Creates (or promotes) an owner: staff, superuser, group "Owner". Returns (user, password)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username, time_zone=settings.TIME_ZONE)
    user.email = email or user.email
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    return _user_save(user=user, password=password, group_name=OWNER_GROUP)


@transaction.atomic
def field_worker_create(*, username: str, first_name: str = "", last_name: str = "", email: str = "",
                        password: str = ""):
    """A new member of the group "Field worker" (no admin rights). Returns (user, password)."""
    user = get_user_model()(username=username, first_name=first_name, last_name=last_name, email=email,
                            time_zone=settings.TIME_ZONE)
    return _user_save(user=user, password=password, group_name=FIELD_WORKER_GROUP)


@transaction.atomic
def user_profile_update(*, user, data: dict):
    """Saves what changed among PROFILE_FIELDS.

    Compares with the stored row, not with `user`: a ModelForm's validation has already set the typed values
    on the instance it was given, so that instance would look unchanged.
    """
    stored = get_user_model().objects.select_for_update().get(pk=user.pk)
    return model_update(instance=stored, fields=PROFILE_FIELDS, data=data)[0]


@transaction.atomic
def user_password_change(*, user, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def user_sign_out_everywhere(*, user) -> None:
    """Ends every session of `user` on every device: each one was signed with the old token
    (User.get_session_auth_hash) and fails at its next request, which then wipes that device's offline copy."""
    model_update(instance=user, fields=["session_token"], data={"session_token": secrets.token_urlsafe(32)},
                 clean=False)
