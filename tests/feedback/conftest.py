import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.core.cache import caches

from tests.services import send_mail_to


@pytest.fixture(autouse=True)
def private_rate_limit_cache(settings):
    """The public link's rate limit counts in a cache of these tests' own, empty for every test.

    (With REDIS_URL set the default cache is Redis, shared with other test runs and helpers.)
    """
    settings.CACHES = {
        **settings.CACHES,
        "feedback-tests": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "feedback-tests"},
    }
    settings.RATELIMIT_USE_CACHE = "feedback-tests"
    caches["feedback-tests"].clear()
    yield
    caches["feedback-tests"].clear()


class _Inbox(MessageHandler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's SMTP backend points at it. Yields the received messages."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    send_mail_to(settings, controller.port)
    try:
        yield inbox.messages
    finally:
        controller.stop()
