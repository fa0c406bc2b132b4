"""Restores a backup into a new, empty database: `manage.py migrate`, then `manage.py import_backup PATH`.

Prints a "set your password" link for each active user (passwords are never in a backup); --email sends them.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backup.restore import RestoreRefused, restore_backup, set_password_link, set_password_link_send, users_to_invite


class Command(BaseCommand):
    help = "Restores a backup made by export_backup (or downloaded by the owner) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup's .zip file")
        parser.add_argument("--email", action="store_true",
                            help="also email each active user their link to choose a password")

    def handle(self, *args, path, email, verbosity, **options):
        def progress(label, rows):
            if verbosity >= 2:
                self.stdout.write(f"  {label}: {rows}")

        try:
            result = restore_backup(path, progress=progress)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        rows = sum(result.counts.values())
        self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows from {path}."))
        for label, count in sorted(result.created.items()):
            self.stdout.write(f"  {label}: {count} created (not made by this database's migrations)")

        days = settings.PASSWORD_RESET_TIMEOUT // 86400
        self.stdout.write(f"\nPasswords are not in a backup. Each user chooses a new one at their link (valid for "
                          f"{days} day{'s' if days != 1 else ''}; later, “Forgot your password?” on the sign-in "
                          f"page sends a new one):")
        for user in users_to_invite():
            link = set_password_link(user)
            sent = ""
            if email and user.email:
                set_password_link_send(user, link)
                sent = f"  (emailed to {user.email})"
            self.stdout.write(f"  {user.get_username()}: {link}{sent}")
