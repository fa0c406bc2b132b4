"""The real thing: Celery worker processes, Redis, and an SMTP server on loopback.

The failure cases of "exactly once" reproduced: the dispatcher run twice at once, two workers,
a worker killed in the middle of sending, an SMTP server refusing for a while, a mail outage longer
than the old retry budget, a stalled server, and one slow to answer QUIT.
"""

import asyncio
import datetime
import threading
import time
import zoneinfo
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
                                                                  redis_broker, settings):
    # Given: the server refuses twice, then accepts; the pause after a failure is one second
    smtp_server.handler.refusals = ["421 4.3.2 Service not available", "451 4.3.0 Try again later"]
    fast_retries(settings, worker_env)
    celery_workers.start()

    # When: beat's dispatcher runs until the email is out
    dispatch_until(lambda: smtp_server.handler.messages, what="the email")

    # Then
    wait_until_quiet(redis_broker, smtp_server, expected=1)
    assert smtp_server.handler.data_attempts == 3
    assert len(smtp_server.handler.messages) == 1
    row = SentEmail.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")


# Mail faults: an outage, a stalled server, a server slow to say goodbye.

OLD_ATTEMPTS_BUDGET = 8  # what every email got before deadlines: the task's retries and the dispatcher's together


def fast_retries(settings, worker_env):
    """A one-second pause after every failure, in the workers and in this process's dispatcher."""
    for name in ("REMINDERS_RETRY_BACKOFF_SECONDS", "REMINDERS_RETRY_BACKOFF_MAX_SECONDS"):
        setattr(settings, name, 1)
        worker_env[name] = "1"


def dispatch_until(condition, *, what: str, timeout: float = 60.0):
    """Run the dispatcher every second, as beat would every five minutes, until `condition` holds."""
    def tick():
        if condition():
            return True
        dispatch()
        time.sleep(1.0)
        return False

    wait_for(tick, timeout=timeout, interval=0, what=what)


def restart(controller):
    """Start a stopped aiosmtpd controller again, on the same port (its old event loop is closed)."""
    controller.loop = asyncio.new_event_loop()
    controller.start()


def zone_at_midday() -> str:
    """A time zone where it is about noon now, so that the day's reminders are far from their deadline."""
    offset = 12 - timezone.now().hour  # -11 … +12
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/GMT-5 is UTC+5


def test_a_mail_outage_longer_than_the_old_retry_budget_ends_with_every_email_delivered_once(
    celery_workers, worker_env, smtp_server, redis_broker, settings
):
    # Given: six people due a reminder, two workers, and the mail server down
    zone = zone_at_midday()
    local_today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
    people = [UserFactory(time_zone=zone, reminder_hour=0, digest_enabled=False) for _ in range(6)]
    for person in people:
        FollowUpFactory(assigned_to=person, due_date=local_today)
    fast_retries(settings, worker_env)
    celery_workers.start("w1", "w2")
    smtp_server.stop()

    # When: the dispatcher runs until every email has failed more often than the old budget allowed
    dispatch_until(
        lambda: SentEmail.objects.count() == 6 and not SentEmail.objects.filter(attempts__lte=OLD_ATTEMPTS_BUDGET).exists(),
        what=f"every email to fail more than {OLD_ATTEMPTS_BUDGET} times", timeout=120,
    )
    assert set(SentEmail.objects.values_list("status", flat=True)) <= {"failed", "claimed"}
    restart(smtp_server)
    dispatch_until(lambda: settled(), what="every email to be sent once mail is back")

    # Then: each person got their reminder exactly once
    wait_until_quiet(redis_broker, smtp_server, expected=6)
    dispatch()  # one more run finds nothing left to send
    wait_until_quiet(redis_broker, smtp_server, expected=6)
    recipients = sorted(parseaddr(m["To"])[1] for m in smtp_server.handler.messages)
    assert recipients == sorted(person.email for person in people)
    assert set(SentEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert min(SentEmail.objects.values_list("attempts", flat=True)) > OLD_ATTEMPTS_BUDGET


def test_a_stalled_smtp_server_does_not_hold_a_worker_past_email_timeout(due_today, celery_workers, worker_env,
                                                                         smtp_server, redis_broker, settings):
    # Given: a two-second mail timeout, and a server that never answers the first message
    worker_env["TEST_EMAIL_TIMEOUT"] = "2"
    fast_retries(settings, worker_env)
    smtp_server.handler.hold_next = True
    worker = celery_workers.start()

    # When
    dispatch()
    assert smtp_server.handler.holding.wait(30), worker.output
    stalled_at = time.monotonic()
    wait_for(lambda: SentEmail.objects.filter(status="failed").exists(), timeout=30, what="the send to fail")

    # Then: the worker let go after the timeout, not after the server
    assert time.monotonic() - stalled_at < 2 + 3, worker.output
    smtp_server.handler.release.set()
    dispatch_until(lambda: smtp_server.handler.messages, what="the email")
    wait_until_quiet(redis_broker, smtp_server, expected=1)
    assert len(smtp_server.handler.messages) == 1
    assert SentEmail.objects.get().attempts == 2


def test_a_server_slow_to_answer_quit_does_not_cause_a_double(due_today, celery_workers, worker_env, smtp_server,
                                                             redis_broker, settings):
    # Given: a two-second lease, and a server that accepts, then takes five seconds to answer QUIT
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 2
    worker_env["REMINDERS_CLAIM_LEASE_SECONDS"] = "2"

    async def slow_quit(server, session, envelope):
        await asyncio.sleep(5)
        return "221 Bye"

    smtp_server.handler.handle_QUIT = slow_quit
    celery_workers.start("w1", "w2")

    # When: the dispatcher runs again while the first worker still waits for QUIT, after its lease
    dispatch()
    wait_for(lambda: smtp_server.handler.messages, timeout=30, what="the email")
    row = SentEmail.objects.get()
    wait_for(lambda: timezone.now() - row.claimed_at > datetime.timedelta(seconds=2.5), what="the lease to run out")
    dispatch()

    # Then: the second worker has nothing to send
    wait_until_quiet(redis_broker, smtp_server, expected=1)
    time.sleep(1)
    assert len(smtp_server.handler.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
