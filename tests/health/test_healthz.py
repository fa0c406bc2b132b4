"""/healthz: what an uptime monitor sees when everything works, and when each part is down."""

import datetime
import json
import os

import pytest
import time_machine
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone

from core.heartbeat import BEAT_TICK, beat
from core.models import Heartbeat
from mail.models import SentEmail
from reminders import tasks
from tests.factories import CustomerFactory, UserFactory
from tests.services import free_port, missing_part

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def _tick(at):
    Heartbeat.objects.update_or_create(name=BEAT_TICK, defaults={"at": at})


def _installed(at):
    MigrationRecorder.Migration.objects.filter(app="core", name="0001_initial").update(applied=at)


def _sent_email(*, status, attempts=1, claimed_at=NOW, **fields):
    user = UserFactory()
    return SentEmail.objects.create(
        user=user, kind=SentEmail.Kind.REMINDER, period=f"p{user.pk}", status=status, attempts=attempts,
        claimed_at=claimed_at, **fields,
    )


def _get(client, path="/healthz"):
    response = client.get(path)
    return response, json.loads(response.content)


@pytest.fixture
def filesystem_broker(settings):
    """The broker of `make run` (kombu's filesystem transport), in folders of this test's own."""
    settings.CELERY_BROKER_URL = "filesystem://"
    return settings


@pytest.mark.clock(NOW)
def test_it_answers_ok_without_a_login_when_everything_works(client, filesystem_broker, django_assert_num_queries):
    _tick(NOW - datetime.timedelta(minutes=4))

    # SELECT 1; the beat's last tick; the mail counts in one aggregate
    with django_assert_num_queries(3):
        response, body = _get(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "broker": {"status": "ok"},
            "beat": {"status": "ok", "last_tick": "2026-03-10T11:56:00+00:00", "age_seconds": 240},
            "mail": {"status": "ok", "failed_last_day": 0, "given_up_last_day": 0, "oldest_unfinished_claim": None},
        },
    }


@pytest.mark.clock(NOW)
def test_it_is_never_cached(client, filesystem_broker):
    _tick(NOW)

    response, _ = _get(client)

    assert "no-store" in response["Cache-Control"]


@pytest.mark.clock(NOW)
def test_it_answers_with_a_trailing_slash_and_to_head(client, filesystem_broker):
    _tick(NOW)

    assert reverse("healthz") == "/healthz"
    assert client.get("/healthz/").status_code == 200
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.clock(NOW)
def test_it_shows_no_customer_data_and_no_secrets(client, filesystem_broker, settings):
    customer = CustomerFactory(name="Zelda Secretname", email="zelda@example.com")
    _tick(NOW)
    _sent_email(status=SentEmail.Status.FAILED, subject=f"Call {customer.name}",
                last_error=f"SMTPRecipientsRefused: {customer.email} password=hunter2")

    response, body = _get(client)

    text = response.content.decode()
    for secret in ("Zelda", "zelda@example.com", "hunter2", settings.SECRET_KEY, "@"):
        assert secret not in text
    assert body["checks"]["mail"]["failed_last_day"] == 1


# The beat

@pytest.mark.clock(NOW)
def test_a_tick_fifteen_minutes_old_is_still_ok(client, filesystem_broker):
    _tick(NOW - datetime.timedelta(minutes=15))

    response, body = _get(client)

    assert response.status_code == 200 and body["checks"]["beat"]["status"] == "ok"


@pytest.mark.clock(NOW)
def test_a_tick_older_than_fifteen_minutes_means_the_beat_is_down(client, filesystem_broker):
    _tick(NOW - datetime.timedelta(minutes=16))

    response, body = _get(client)

    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["beat"] == {"status": "fail", "last_tick": "2026-03-10T11:44:00+00:00", "age_seconds": 960}
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.clock(NOW)
def test_a_fresh_install_without_a_tick_yet_is_unknown_not_down(client, filesystem_broker):
    _installed(NOW - datetime.timedelta(minutes=10))

    response, body = _get(client)

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["beat"] == {"status": "unknown", "last_tick": None, "age_seconds": None}


@pytest.mark.clock(NOW)
def test_no_tick_long_after_the_install_means_the_beat_never_ran(client, filesystem_broker):
    _installed(NOW - datetime.timedelta(minutes=16))

    response, body = _get(client)

    assert response.status_code == 503
    assert body["checks"]["beat"]["status"] == "fail"


@pytest.mark.clock(NOW)
def test_the_dispatcher_records_each_tick_in_one_row(client, filesystem_broker):
    tasks.dispatch.run()
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        tasks.dispatch.run()

    assert list(Heartbeat.objects.values_list("name", "at")) == [(BEAT_TICK, NOW + datetime.timedelta(minutes=5))]
    with time_machine.travel(NOW + datetime.timedelta(minutes=19), tick=False):
        assert _get(client)[0].status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(minutes=21), tick=False):
        assert _get(client)[0].status_code == 503


@pytest.mark.clock(NOW)
def test_beat_is_one_statement(django_assert_num_queries):
    beat("somejob")

    with django_assert_num_queries(1):
        beat("somejob")

    assert Heartbeat.objects.get(name="somejob").at == NOW


# Mail

@pytest.mark.clock(NOW)
def test_failures_that_will_be_retried_are_counted_but_are_no_failure(client, filesystem_broker):
    _tick(NOW)
    _sent_email(status=SentEmail.Status.FAILED, attempts=2, claimed_at=NOW - datetime.timedelta(hours=3))
    _sent_email(status=SentEmail.Status.CLAIMED, claimed_at=NOW - datetime.timedelta(minutes=1))
    _sent_email(status=SentEmail.Status.SENT, claimed_at=NOW - datetime.timedelta(hours=9), sent_at=NOW)
    _sent_email(status=SentEmail.Status.FAILED, claimed_at=NOW - datetime.timedelta(hours=25))

    response, body = _get(client)

    assert response.status_code == 200
    assert body["checks"]["mail"] == {
        "status": "ok",
        "failed_last_day": 1,
        "given_up_last_day": 0,
        "oldest_unfinished_claim": "2026-03-09T11:00:00+00:00",
    }


@pytest.mark.clock(NOW)
def test_an_email_given_up_today_fails_the_mail_check(client, filesystem_broker):
    _tick(NOW)
    _sent_email(status=SentEmail.Status.GAVE_UP, attempts=14, claimed_at=NOW - datetime.timedelta(hours=23),
                give_up_at=NOW - datetime.timedelta(hours=22))

    response, body = _get(client)

    assert response.status_code == 503
    assert body["checks"]["mail"] == {
        "status": "fail",
        "failed_last_day": 1,
        "given_up_last_day": 1,
        "oldest_unfinished_claim": None,
    }


@pytest.mark.clock(NOW)
def test_an_email_given_up_yesterday_no_longer_fails_the_check(client, filesystem_broker):
    _tick(NOW)
    _sent_email(status=SentEmail.Status.GAVE_UP, attempts=14, claimed_at=NOW - datetime.timedelta(hours=26),
                give_up_at=NOW - datetime.timedelta(hours=25))

    response, body = _get(client)

    assert response.status_code == 200 and body["checks"]["mail"]["given_up_last_day"] == 0


# The broker and the database

@pytest.mark.clock(NOW)
def test_a_broker_that_does_not_answer_fails_the_broker_check(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    _tick(NOW)

    response, body = _get(client)

    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["broker"] == {"status": "fail", "error": "OperationalError"}
    assert body["checks"]["database"]["status"] == "ok"
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.clock(NOW)
def test_a_real_redis_broker_is_ok(client, settings):
    if not os.environ.get("REDIS_URL"):
        missing_part("REDIS_URL is not set: no real Redis broker to check")
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    _tick(NOW)

    response, body = _get(client)

    assert body["checks"]["broker"] == {"status": "ok"}
    assert response.status_code == 200


@pytest.mark.clock(NOW)
def test_a_database_that_does_not_answer_fails_with_the_error_class_only(client, filesystem_broker, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" failed: password authentication failed')

    monkeypatch.setattr(connection, "cursor", refuse)

    response, body = _get(client)

    assert response.status_code == 503
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert "db.internal" not in response.content.decode()


def test_the_clock_the_checks_use_is_the_real_one(client, filesystem_broker):
    beat(BEAT_TICK)

    _, body = _get(client)

    assert body["checks"]["beat"]["age_seconds"] < 60
    assert datetime.datetime.fromisoformat(body["checks"]["beat"]["last_tick"]) <= timezone.now()
