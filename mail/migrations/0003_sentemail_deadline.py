# Deadlines instead of a count of attempts: a failed email is retried until it is no longer useful, then
# marked gave_up. Unsettled rows get the deadline their first claim would have fixed, and a failed one is
# due at once: one given up under the old count is tried again if still useful, or given up (and shown to
# the owner) at the dispatcher's next run.

import datetime
import zoneinfo

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

USEFUL_DAYS = {"reminder": 1, "digest": 2}


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.get_default_timezone()


def _day(row):
    try:
        if row.kind == "digest":
            year, week = row.period.split("-W")
            return datetime.date.fromisocalendar(int(year), int(week), row.user.digest_weekday + 1)
        return datetime.date.fromisoformat(row.period)
    except ValueError:
        return row.claimed_at.date()


def deadlines(apps, schema_editor):
    SentEmail = apps.get_model("mail", "SentEmail")
    now = timezone.now()
    for row in SentEmail.objects.filter(status__in=["claimed", "failed"]).select_related("user"):
        last = datetime.datetime.combine(_day(row) + datetime.timedelta(days=USEFUL_DAYS[row.kind]), datetime.time.min)
        row.give_up_at = last.replace(tzinfo=_zone(row.user.time_zone)).astimezone(datetime.UTC)
        if row.status == "failed":
            row.next_attempt_at = now
            row.failing_since = row.claimed_at
        row.save(update_fields=["give_up_at", "next_attempt_at", "failing_since"])


def gave_up_to_failed(apps, schema_editor):
    """Back to the old rule, where a given-up email was a failed one that used up its attempts."""
    apps.get_model("mail", "SentEmail").objects.filter(status="gave_up").update(status="failed")


class Migration(migrations.Migration):

    dependencies = [
        ('mail', '0002_sentemail_table'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='sentemail',
            name='sentemail_status_valid',
        ),
        migrations.RemoveIndex(
            model_name='sentemail',
            name='sentemail_unfinished_idx',
        ),
        migrations.AddField(
            model_name='sentemail',
            name='failing_since',
            field=models.DateTimeField(blank=True, null=True, verbose_name='failing since'),
        ),
        migrations.AddField(
            model_name='sentemail',
            name='give_up_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='give up at'),
        ),
        migrations.AddField(
            model_name='sentemail',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='next attempt'),
        ),
        migrations.AlterField(
            model_name='sentemail',
            name='status',
            field=models.CharField(choices=[('claimed', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed, will retry'), ('skipped', 'Nothing to send'), ('gave_up', 'Not sent: gave up')], default='claimed', max_length=10, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='sentemail',
            index=models.Index(condition=models.Q(('status__in', ['claimed', 'failed', 'gave_up'])), fields=['give_up_at'], name='sentemail_unsettled_idx'),
        ),
        migrations.AddConstraint(
            model_name='sentemail',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['claimed', 'sent', 'failed', 'skipped', 'gave_up'])), name='sentemail_status_valid'),
        ),
        migrations.RunPython(deadlines, gave_up_to_failed),
    ]
