"""Creates the first owner account when there is none; `make run` calls it on every start.

Takes DJANGO_SUPERUSER_USERNAME / _EMAIL / _PASSWORD from the environment when they are set; otherwise the
username is "owner" and a generated password is printed once. Never prompts, so it is safe without a terminal.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts.models import OWNER_GROUP

DEFAULT_USERNAME = "owner"


def existing_owner():
    """The first owner (group "Owner" or superuser), or None."""
    User = get_user_model()
    return User.objects.filter(Q(is_superuser=True) | Q(groups__name=OWNER_GROUP)).order_by("pk").first()


def login_url() -> str:
    return settings.SITE_URL + reverse("login")


@transaction.atomic
def owner_create(*, username: str, email: str = "", password: str = ""):
    """Creates (or promotes) an owner: staff, superuser, group "Owner". Returns (user, password)."""
    User = get_user_model()
    password = password or secrets.token_urlsafe(12)
    user = User.objects.filter(username=username).first() or User(username=username)
    user.email = email or user.email
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    if not user.pk:
        user.time_zone = settings.TIME_ZONE
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get_or_create(name=OWNER_GROUP)[0])
    return user, password


class Command(BaseCommand):
    help = "Creates the first owner account if there is none (DJANGO_SUPERUSER_* variables or a generated password)."

    def handle(self, *args, **options):
        owner = existing_owner()
        if owner is not None:
            self.stdout.write(f"An owner account exists ({owner.username}): nothing to do.")
            return

        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or DEFAULT_USERNAME
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        given_password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        user, password = owner_create(username=username, email=email, password=given_password)

        shown = "(from DJANGO_SUPERUSER_PASSWORD)" if given_password else password
        rule = "=" * 64
        self.stdout.write(
            self.style.SUCCESS(
                f"\n{rule}\n"
                f"  Owner account created\n"
                f"    Log in at: {login_url()}\n"
                f"    Username:  {user.username}\n"
                f"    Password:  {shown}\n"
                + ("" if given_password else "  Shown only this once: write it down or change it after logging in.\n")
                + f"{rule}\n"
            )
        )
