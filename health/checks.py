"""The four things /healthz looks at. Each returns {"status": "ok" | "unknown" | "fail", ...facts}.

Facts are counts, ages and times only: the endpoint is public, so no customer data, no addresses of
servers, no error messages (they can carry a host or a user name), only an error's class name.
"""

import datetime

from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, Min, Q

from core.heartbeat import BEAT_TICK, last_beat
from mail.models import SentEmail

OK, UNKNOWN, FAIL = "ok", "unknown", "fail"

# The beat schedules its tick every 5 minutes: three missed runs in a row mean it (or every worker) is down.
BEAT_MAX_AGE = datetime.timedelta(minutes=15)
# The window over which failing mail is counted.
MAIL_WINDOW = datetime.timedelta(hours=24)
# Seconds to wait for the broker: a monitor polls often, and a stalled broker must not stall the page.
BROKER_TIMEOUT_SECONDS = 2


def database(now):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": OK}


def broker(now):
    # The URL from the settings at call time (not the Celery app's cached copy), so the check follows them.
    with current_app.connection_for_write(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0.2, timeout=BROKER_TIMEOUT_SECONDS)
    return {"status": OK}


def beat(now):
    """Fails when the last tick is older than BEAT_MAX_AGE. Never ticked: "unknown" during the first
    BEAT_MAX_AGE after core's first migration (a fresh install whose beat has not run yet), "fail" after."""
    at = last_beat(BEAT_TICK)
    if at is None:
        installed = (
            MigrationRecorder.Migration.objects.filter(app="core", name="0001_initial")
            .values_list("applied", flat=True).first()
        )
        fresh = installed is not None and now - installed < BEAT_MAX_AGE
        return {"status": UNKNOWN if fresh else FAIL, "last_tick": None, "age_seconds": None}
    age = now - at
    return {
        "status": OK if age <= BEAT_MAX_AGE else FAIL,
        "last_tick": at.isoformat(),
        "age_seconds": max(0, int(age.total_seconds())),
    }


def mail(now):
    """Fails when an email was given up in the last day: its deadline passed while sending kept failing,
    and nobody will retry it. Failures that will still be retried are counted but are no failure of the service."""
    Status = SentEmail.Status
    since = now - MAIL_WINDOW
    facts = SentEmail.objects.aggregate(
        failed_last_day=Count("pk", filter=Q(status__in=[Status.FAILED, Status.GAVE_UP], claimed_at__gte=since)),
        given_up_last_day=Count("pk", filter=Q(status=Status.GAVE_UP, give_up_at__gte=since)),
        oldest_unfinished=Min("claimed_at", filter=Q(status__in=[Status.CLAIMED, Status.FAILED])),
    )
    oldest = facts["oldest_unfinished"]
    return {
        "status": FAIL if facts["given_up_last_day"] else OK,
        "failed_last_day": facts["failed_last_day"],
        "given_up_last_day": facts["given_up_last_day"],
        "oldest_unfinished_claim": oldest.isoformat() if oldest else None,
    }


CHECKS = {"database": database, "broker": broker, "beat": beat, "mail": mail}


def run_checks(now) -> dict:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check(now)
        # Whatever goes wrong in a check is that check's failure: the endpoint itself must still answer.
        except Exception as error:  # noqa: BLE001
            results[name] = {"status": FAIL, "error": type(error).__name__}
    return results
