"""Send the reminders and weekly emails that are due, here and now, without a worker.

For cron users and support: the same code the Celery dispatcher runs, done synchronously.
    manage.py send_reminders                      # send what is due now
    manage.py send_reminders --dry-run            # show what would go out, send nothing
    manage.py send_reminders --at 2026-03-30T08:00+13:00
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.services import emails_send_due


def aware_datetime(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--at: {value!r} is not an ISO date and time, e.g. 2026-03-30T08:00+13:00") from exc
    # Without an offset, the instant is read in the server's time zone (settings.TIME_ZONE).
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Send the follow-up reminders and weekly emails that are due (or would be, at --at)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send nothing.")
        parser.add_argument(
            "--at", type=aware_datetime, help="Act as if it were this instant (ISO 8601), instead of now."
        )
        parser.add_argument("--limit", type=int, default=None, help="At most this many emails (default: batch size).")

    def handle(self, *args, dry_run=False, at=None, limit=None, **options):
        now = at or timezone.now()
        outcomes = emails_send_due(now=now, dry_run=dry_run, limit=limit)
        for outcome in outcomes:
            self.stdout.write(str(outcome))
        sent = sum(o.result in ("sent", "would send") for o in outcomes)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(self.style.SUCCESS(f"{verb} {sent} email{'s' if sent != 1 else ''} (as of {now.isoformat()})"))
