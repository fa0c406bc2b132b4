"""The real thing: Celery worker processes, Redis, and an SMTP server on loopback.

The failure cases of "exactly once" reproduced: the dispatcher run twice at once, two workers,
a worker killed in the middle of sending, and an SMTP server refusing for a while.
"""

import threading
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.urls import resolve
from django.utils import timezone

from mail.models import SentEmail
from reminders.tasks import dispatch
from tests.factories import CustomerFactory, FollowUpFactory, UserFactory
from tests.services import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def settled():
    """Every claim has finished: sent, or skipped."""
    rows = list(SentEmail.objects.values_list("status", flat=True))
    return rows and all(status in ("sent", "skipped") for status in rows)


def wait_until_quiet(redis_broker, smtp_server, expected: int):
    """Wait for `expected` messages, then for the queue to drain, so a late duplicate would be seen."""
    wait_for(lambda: len(smtp_server.handler.messages) >= expected, timeout=30, what=f"{expected} email(s)")
    wait_for(lambda: redis_broker.llen("celery") == 0 and settled(), timeout=30, what="the queue to drain")


@pytest.fixture
def due_today(settings):
    """A user in UTC whose reminder hour has passed, with a follow-up due today."""
    user = UserFactory(username="dora", first_name="Dora", last_name="Day", email="dora@example.com", reminder_hour=0,
                       digest_enabled=False)
    customer = CustomerFactory(name="Smith & <Sons>", phone="+12025550101")
    FollowUpFactory(customer=customer, assigned_to=user, due_date=timezone.localdate(), description="Quote the hedge")
    return customer


def test_a_worker_sends_the_reminder_over_smtp_with_headers_bodies_and_links(
    due_today, celery_workers, worker_env, smtp_server, redis_broker
):
    # Given: a worker for a business called Sparkle Cleaning
    worker_env.update(BUSINESS_NAME="Sparkle Cleaning", SITE_URL="https://crm.sparkle.example")
    celery_workers.start()

    # When: beat's dispatcher runs
    dispatch()

    # Then: one email arrives at the SMTP server
    wait_until_quiet(redis_broker, smtp_server, expected=1)
    [message] = smtp_server.handler.messages
    assert parseaddr(message["From"])[0] == "Sparkle Cleaning"
    assert message["To"] == "Dora Day <dora@example.com>"
    assert message["Subject"] == "Sparkle Cleaning: 1 follow-up due today"
    assert message["Date"] and message["Message-ID"].endswith("@crm.sparkle.example>")
    assert message["List-Unsubscribe"] == "<https://crm.sparkle.example/account/profile/>"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Smith & <Sons>: Quote the hedge" in text and "(202) 555-0101" in text
    assert "Smith &amp; &lt;Sons&gt;" in html
    link = next(word for word in text.split() if word.startswith("https://crm.sparkle.example/customers/"))
    match = resolve(urlsplit(link).path)
    assert (match.view_name, match.kwargs["pk"]) == ("customers:detail", due_today.pk)
    assert SentEmail.objects.get().status == "sent"


def test_the_dispatcher_run_twice_at_once_sends_one_email(due_today, celery_workers, smtp_server, redis_broker):
    # Given
    celery_workers.start()
    barrier = threading.Barrier(2)

    def run_dispatch():
        barrier.wait()
        try:
            dispatch()
        finally:
            connection.close()

    # When: two dispatchers run at the same moment (beat fired twice)
    threads = [threading.Thread(target=run_dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then: both queued a send, one email went out
    wait_until_quiet(redis_broker, smtp_server, expected=1)
    assert len(smtp_server.handler.messages) == 1
    assert SentEmail.objects.get().attempts == 1


def test_two_workers_send_each_email_once(celery_workers, smtp_server, redis_broker):
    # Given: five users due a reminder, two workers
    for _ in range(5):
        FollowUpFactory(assigned_to=UserFactory(reminder_hour=0, digest_enabled=False), due_date=timezone.localdate())
    celery_workers.start("w1", "w2")

    # When: each worker runs a dispatcher, and both work through the sends
    dispatch.delay()
    dispatch.delay()

    # Then
    wait_until_quiet(redis_broker, smtp_server, expected=5)
    recipients = [m["To"] for m in smtp_server.handler.messages]
    assert len(recipients) == 5 and len(set(recipients)) == 5


def test_a_worker_killed_mid_send_sends_once_after_a_restart(
    due_today, celery_workers, worker_env, smtp_server, redis_broker, settings
):
    # Given: a short lease, and an SMTP server that holds the first message
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 2
    worker_env["REMINDERS_CLAIM_LEASE_SECONDS"] = "2"
    smtp_server.handler.hold_next = True
    first = celery_workers.start("w1")
    dispatch()
    assert smtp_server.handler.holding.wait(30), first.output

    # When: the worker is killed while the SMTP server has the message, then a new worker starts
    first.kill()
    smtp_server.handler.release.set()
    row = SentEmail.objects.get()
    assert (row.status, row.attempts) == ("claimed", 1)
    celery_workers.start("w2")
    dispatch()  # within the lease: the claim is still the dead worker's
    assert redis_broker.llen("celery") == 0
    wait_for(lambda: timezone.now() - row.claimed_at > timezone.timedelta(seconds=2.2), what="the lease to run out")
    dispatch()  # the next beat tick after the lease ran out

    # Then: the email goes out, once
    wait_until_quiet(redis_broker, smtp_server, expected=1)
    assert len(smtp_server.handler.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert smtp_server.handler.messages[0]["Message-ID"] == row.message_id


def test_an_smtp_server_refusing_for_a_while_gets_the_email_once(due_today, celery_workers, worker_env, smtp_server,
                                                                  redis_broker):
    # Given: the server refuses twice, then accepts; retries back off from one second
    smtp_server.handler.refusals = ["421 4.3.2 Service not available", "451 4.3.0 Try again later"]
    worker_env["REMINDERS_RETRY_BACKOFF_SECONDS"] = "1"
    worker = celery_workers.start()

    # When
    dispatch()

    # Then
    wait_until_quiet(redis_broker, smtp_server, expected=1)
    assert smtp_server.handler.data_attempts == 3
    assert len(smtp_server.handler.messages) == 1
    row = SentEmail.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")
    assert "Retry in" in worker.output
