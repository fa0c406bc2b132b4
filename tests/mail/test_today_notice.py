"""Today tells the owner when mail is failing; nobody else, and in one query."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from mail.sections import today_context
from tests.mail.factories import SentEmailFactory

NOW = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def notice(client) -> str:
    html = client.get(reverse("today")).content.decode()
    if 'id="mail-failing-h"' not in html:
        return ""
    start = html.index('id="mail-failing-h"')
    return html[start:html.index("</section>", start)]


def test_the_owner_sees_since_when_mail_is_failing_with_a_link_to_the_failed_emails(owner_client):
    SentEmailFactory(failing_since=NOW - datetime.timedelta(hours=3))
    SentEmailFactory(failing_since=NOW - datetime.timedelta(hours=1))

    text = notice(owner_client)

    assert "Mail is failing since Wed 10 Jun, 06:00" in text
    assert "2 emails could not be sent yet and are being tried again." in text
    assert reverse("mail:failed") in text


def test_an_email_given_up_in_the_last_seven_days_is_told_too(owner_client):
    SentEmailFactory(status="gave_up", next_attempt_at=None, give_up_at=NOW - 6 * DAY, failing_since=NOW - 7 * DAY)

    text = notice(owner_client)

    assert "Mail is failing since Wed 3 Jun, 09:00" in text and "1 email was not sent in the last 7 days." in text


def test_nothing_is_said_when_mail_works_or_the_last_give_up_is_older_than_a_week(owner_client):
    SentEmailFactory(status="sent", sent_at=NOW, failing_since=None)
    SentEmailFactory(status="gave_up", next_attempt_at=None, give_up_at=NOW - 8 * DAY)

    assert notice(owner_client) == ""


def test_a_field_worker_is_not_told(worker_client, worker):
    SentEmailFactory(user=worker)

    assert notice(worker_client) == ""


def test_the_notice_costs_the_owner_one_query_and_a_worker_none(owner, worker, django_assert_num_queries):
    SentEmailFactory.create_batch(3)
    request = RequestFactory().get("/")
    owner.is_owner, worker.is_owner  # noqa: B018 - cached on the user, as the page's menu has it

    with django_assert_num_queries(1):
        assert today_context(user=owner, today=NOW.date(), request=request)["failing"]["retrying"] == 3
    with django_assert_num_queries(0):
        assert today_context(user=worker, today=NOW.date(), request=request) == {}
