import pytest

from tests.services import smtp_server  # noqa: F401


@pytest.fixture
def smtp_inbox(smtp_server, settings):  # noqa: F811
    """Django's SMTP backend pointed at the real SMTP server on loopback; the messages it accepted."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return smtp_server.handler.messages
