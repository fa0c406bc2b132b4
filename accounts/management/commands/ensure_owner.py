"""Creates the first owner account when there is none; `make run` calls it on every start.

Takes DJANGO_SUPERUSER_USERNAME / _EMAIL / _PASSWORD from the environment when they are set; otherwise the
username is "owner" and a generated password is printed once. Never prompts, so it is safe without a terminal.
"""

import os

from django.core.management.base import BaseCommand

from accounts.credentials import credentials_box
from accounts.selectors import existing_owner
from accounts.services import DEFAULT_OWNER_USERNAME, owner_create


class Command(BaseCommand):
    help = "Creates the first owner account if there is none (DJANGO_SUPERUSER_* variables or a generated password)."

    def handle(self, *args, **options):
        owner = existing_owner()
        if owner is not None:
            self.stdout.write(f"An owner account exists ({owner.username}): nothing to do.")
            return

        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or DEFAULT_OWNER_USERNAME
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        given_password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        user, password = owner_create(username=username, email=email, password=given_password)

        self.stdout.write(
            self.style.SUCCESS(
                credentials_box(
                    title="Owner account created",
                    username=user.username,
                    password="(from DJANGO_SUPERUSER_PASSWORD)" if given_password else password,
                    note="" if given_password else "Shown only this once: write it down or change it after logging in.",
                )
            )
        )
