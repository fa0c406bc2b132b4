"""/mail/failed/: the owner's one place for the emails that did not go out, with "Send again"."""

import datetime

import pytest
from django.urls import reverse

from mail.models import SentEmail
from reminders.selectors import due_emails
from tests.factories import FollowUpFactory, UserFactory
from tests.mail.factories import SentEmailFactory

NOW = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def test_a_field_worker_gets_403_on_the_page_and_on_send_again(worker_client):
    email = SentEmailFactory()

    assert worker_client.get(reverse("mail:failed")).status_code == 403
    assert worker_client.post(reverse("mail:send_again", args=[email.pk])).status_code == 403
    assert SentEmail.objects.get().next_attempt_at == NOW + datetime.timedelta(minutes=1)


def test_it_lists_failing_and_recently_given_up_emails_with_what_went_wrong(owner_client):
    # Given: one retrying, one given up yesterday, one given up long ago, one sent
    dora = UserFactory(first_name="Dora", last_name="Day")
    retrying = SentEmailFactory(user=dora, period="2026-06-10", attempts=3,
                                next_attempt_at=NOW + datetime.timedelta(minutes=16))
    gave_up = SentEmailFactory(user=dora, kind="digest", period="2026-W23", status="gave_up", attempts=12,
                               next_attempt_at=None, give_up_at=NOW - 24 * HOUR,
                               last_error="SMTPRecipientsRefused: {'dora@example.com': (550, b'No such user')}")
    SentEmailFactory(status="gave_up", give_up_at=NOW - 8 * 24 * HOUR, next_attempt_at=None)
    SentEmailFactory(status="sent", sent_at=NOW)

    # When
    response = owner_client.get(reverse("mail:failed"))

    # Then
    html = response.content.decode()
    assert html.count('id="sent-email-') == 2
    row = html[html.index(f'id="sent-email-{retrying.pk}"'):html.index(f'id="sent-email-{gave_up.pk}"')]
    assert "Daily follow-up reminder" in row and "Dora Day" in row and "2026-06-10" in row
    assert "3 attempts" in row and "next attempt Wed 10 Jun, 09:16" in row and "Connection refused" in row
    row = html[html.index(f'id="sent-email-{gave_up.pk}"'):]
    assert "Weekly email" in row and "2026-W23" in row and "12 attempts" in row
    assert "gave up at Tue 9 Jun, 09:00" in row and "550, b&#x27;No such user&#x27;" in row
    assert html.count(">Send again</button>") == 2


def test_with_nothing_failing_it_says_so(owner_client):
    SentEmailFactory(status="sent", sent_at=NOW)

    assert "everything went out" in owner_client.get(reverse("mail:failed")).content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_page_runs_the_same_queries_for_any_number_of_emails(owner_client, owner, size, django_assert_num_queries):
    SentEmailFactory.create_batch(size)
    owner.is_owner  # noqa: B018

    # session, user, owner group (is_owner), the emails with their users
    with django_assert_num_queries(4):
        response = owner_client.get(reverse("mail:failed"))
    assert response.content.decode().count('id="sent-email-') == size


def test_send_again_makes_a_given_up_email_due_at_the_next_run_and_gives_it_time(owner_client):
    # Given: Dora's reminder for today, given up an hour ago after the mail server refused
    dora = UserFactory(reminder_hour=0, digest_enabled=False)
    FollowUpFactory(assigned_to=dora, due_date=NOW.date())
    email = SentEmailFactory(user=dora, period="2026-06-10", status="gave_up", next_attempt_at=None,
                             give_up_at=NOW - HOUR)
    assert due_emails(now=NOW) == []

    # When
    response = owner_client.post(reverse("mail:send_again", args=[email.pk]), follow=True)

    # Then: back on the page with a message, and the dispatcher hands it out
    assert response.redirect_chain == [(reverse("mail:failed"), 302)]
    assert "goes out at the next run of the sender" in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.next_attempt_at, email.give_up_at) == ("failed", NOW, NOW + HOUR)
    assert [(d.user_id, d.period) for d in due_emails(now=NOW)] == [(dora.pk, "2026-06-10")]


def test_send_again_keeps_a_later_deadline(owner_client):
    email = SentEmailFactory(give_up_at=NOW + 5 * HOUR)

    owner_client.post(reverse("mail:send_again", args=[email.pk]))

    email.refresh_from_db()
    assert (email.status, email.next_attempt_at, email.give_up_at) == ("failed", NOW, NOW + 5 * HOUR)


def test_send_again_on_an_email_sent_meanwhile_changes_nothing(owner_client):
    email = SentEmailFactory(status="sent", sent_at=NOW, next_attempt_at=None)

    response = owner_client.post(reverse("mail:send_again", args=[email.pk]), follow=True)

    assert "no longer failing" in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.next_attempt_at) == ("sent", None)


def test_send_again_answers_404_for_an_email_that_does_not_exist(owner_client):
    assert owner_client.post(reverse("mail:send_again", args=[987654])).status_code == 404


def test_send_again_is_post_only(owner_client):
    email = SentEmailFactory()

    assert owner_client.get(reverse("mail:send_again", args=[email.pk])).status_code == 405
