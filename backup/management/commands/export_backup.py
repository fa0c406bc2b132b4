"""Writes the full backup to a file, for a scheduled job: `manage.py export_backup /backups/servicecrm.zip`."""

import os
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backup.dump import backup_stream
from backup.restore import read_manifest


class Command(BaseCommand):
    help = "Writes the full backup (the owner's download) to PATH: a .zip of one CSV per table and a manifest."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .zip file to write (replaced when it exists)")

    def handle(self, *args, path, **options):
        target = Path(path)
        # Written beside the target and renamed at the end: a job that dies half-way leaves the last good backup.
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("wb") as file:
                for chunk in backup_stream():
                    file.write(chunk)
            os.replace(partial, target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {target}: {error}") from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        with zipfile.ZipFile(target) as archive:
            rows = sum(entry["count"] for entry in read_manifest(archive)["models"].values())
        self.stdout.write(f"Wrote {target} ({target.stat().st_size / 1e6:.1f} MB, {rows} rows).")
