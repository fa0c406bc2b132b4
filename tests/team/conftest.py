import pytest

from tests.services import send_mail_to, smtp_server  # noqa: F401


@pytest.fixture
def smtp_inbox(smtp_server, settings):  # noqa: F811
    """Django's SMTP backend pointed at the real SMTP server on loopback; the messages it accepted."""
    send_mail_to(settings, smtp_server.port)
    return smtp_server.handler.messages
