"""claim_deliver against a real SMTP server on loopback: what the server accepted is sent, whatever QUIT does."""

import asyncio
import datetime
import smtplib
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from mail.emails import build_message
from mail.models import SentEmail
from mail.services import claim_deliver, email_claim
from tests.factories import UserFactory
from tests.services import smtp_server  # noqa: F401

TIMEOUT = 1


@pytest.fixture
def smtp_settings(settings, smtp_server):  # noqa: F811
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_server.port, TIMEOUT
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


@pytest.fixture
def claim(db):
    user = UserFactory(username="uma")
    today = datetime.datetime.now(datetime.UTC).date()  # uma is in UTC; her day has not ended
    return email_claim(user=user, kind="reminder", period=today.isoformat(), day=today)


def message_for(claim):
    return build_message(user=claim.user, subject="Due today", text="Call Ann", html="<p>Call Ann</p>",
                         message_id=claim.message_id)


def test_an_accepted_email_whose_quit_times_out_is_recorded_as_sent(smtp_settings, claim):
    # Given: a server that accepts the message, then takes longer than EMAIL_TIMEOUT to answer QUIT
    async def slow_quit(server, session, envelope):
        await asyncio.sleep(TIMEOUT * 3)
        return "221 Bye"

    smtp_settings.handler.handle_QUIT = slow_quit

    # When
    started = time.monotonic()
    claim_deliver(claim, message_for(claim), subject="Due today")

    # Then: sent once, no error, and the worker was held no longer than the timeout
    assert time.monotonic() - started < TIMEOUT + 1.5
    assert len(smtp_settings.handler.messages) == 1
    row = SentEmail.objects.get()
    assert (row.status, row.attempts, row.last_error, row.subject) == ("sent", 1, "", "Due today")


class CloseTimesOutBackend(LocmemBackend):
    """Accepts the message, then fails to close, noting how the sent-log stood at that moment."""

    status_at_close = None

    def close(self):
        CloseTimesOutBackend.status_at_close = SentEmail.objects.get().status
        raise TimeoutError("timed out")


def test_the_email_is_marked_sent_before_the_connection_is_closed_and_a_failed_close_is_harmless(settings, claim):
    # A worker stuck in QUIT past its lease must not see its email handed out again: it is already sent.
    settings.EMAIL_BACKEND = f"{__name__}.CloseTimesOutBackend"

    claim_deliver(claim, message_for(claim), subject="Due today")

    assert CloseTimesOutBackend.status_at_close == "sent"
    assert len(mail.outbox) == 1 and SentEmail.objects.get().status == "sent"


def test_a_stalled_server_fails_the_send_within_the_timeout_and_it_is_tried_again_later(smtp_settings, claim):
    # Given: a server that never answers the message
    smtp_settings.handler.hold_next = True

    # When
    started = time.monotonic()
    with pytest.raises(smtplib.SMTPServerDisconnected, match="timed out"):
        claim_deliver(claim, message_for(claim), subject="Due today")

    # Then
    assert time.monotonic() - started < TIMEOUT + 1.5
    smtp_settings.handler.release.set()
    row = SentEmail.objects.get()
    assert (row.status, row.next_attempt_at is not None) == ("failed", True)
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed: timed out"
    assert smtp_settings.handler.messages == []


def test_a_refused_connection_fails_the_send(settings, claim):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, TIMEOUT

    with pytest.raises(ConnectionRefusedError):
        claim_deliver(claim, message_for(claim), subject="Due today")

    assert SentEmail.objects.get().status == "failed"


def test_it_sends_through_the_configured_backend(claim):
    claim_deliver(claim, message_for(claim), subject="Due today")

    assert [m.subject for m in mail.outbox] == ["Due today"]
    assert SentEmail.objects.get().status == "sent"
