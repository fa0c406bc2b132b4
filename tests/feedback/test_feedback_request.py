"""Asking a customer for feedback by email: the card's button, the queued task, the email."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from feedback.models import FeedbackRequest
from feedback.tasks import feedback_request_send
from tests.factories import CustomerFactory

from .factories import FeedbackRequestFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<>]+/feedback/answer/[^\s\"<>]+/")


def _ask(client, customer):
    return client.post(reverse("feedback:request_create", args=[customer.pk]), follow=True)


def test_asking_creates_a_request_and_queues_the_email_after_commit(owner_client, owner, django_capture_on_commit_callbacks):
    customer = CustomerFactory(email="ann@example.com")

    with django_capture_on_commit_callbacks() as callbacks:
        response = _ask(owner_client, customer)

    feedback_request = FeedbackRequest.objects.get()
    assert feedback_request.customer == customer
    assert feedback_request.email == "ann@example.com"
    assert feedback_request.requested_by == owner
    assert feedback_request.sent_at is None
    assert len(callbacks) == 1  # the task is queued only once the request is committed
    assert "an email with a private link is on its way to ann@example.com" in response.content.decode()


def test_a_field_worker_can_ask_too(worker_client, django_capture_on_commit_callbacks):
    customer = CustomerFactory()

    with django_capture_on_commit_callbacks():
        _ask(worker_client, customer)

    assert FeedbackRequest.objects.filter(customer=customer).count() == 1


def test_asking_needs_a_post(owner_client):
    customer = CustomerFactory()

    response = owner_client.get(reverse("feedback:request_create", args=[customer.pk]))

    assert response.status_code == 405
    assert not FeedbackRequest.objects.exists()


def test_a_customer_without_email_gets_a_clear_message_and_no_request(owner_client, django_capture_on_commit_callbacks):
    customer = CustomerFactory(name="Noel Nomail", email="")

    with django_capture_on_commit_callbacks() as callbacks:
        response = _ask(owner_client, customer)

    assert "Noel Nomail has no email address" in response.content.decode()
    assert not FeedbackRequest.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_a_do_not_contact_customer_gets_a_clear_message_and_no_request(owner_client, django_capture_on_commit_callbacks):
    customer = CustomerFactory(name="Dora Donot", do_not_contact=True)

    with django_capture_on_commit_callbacks() as callbacks:
        response = _ask(owner_client, customer)

    assert "Dora Donot is marked “do not contact”: no email was sent." in response.content.decode()
    assert not FeedbackRequest.objects.exists()
    assert callbacks == []


def test_a_second_click_the_same_day_sends_nothing_more(owner_client, django_capture_on_commit_callbacks):
    customer = CustomerFactory(name="Dan Double")
    with django_capture_on_commit_callbacks():
        _ask(owner_client, customer)

    with django_capture_on_commit_callbacks() as callbacks:
        response = _ask(owner_client, customer)

    assert "already asked for feedback in the last 24 hours" in response.content.decode()
    assert FeedbackRequest.objects.count() == 1
    assert callbacks == []


def test_the_task_sends_the_email_once_when_run_twice(settings):
    settings.BUSINESS_NAME = "Sparkle Cleaning"
    feedback_request = FeedbackRequestFactory(sent_at=None, customer=CustomerFactory(email="sam@example.com"))

    first = feedback_request_send(feedback_request.pk)
    second = feedback_request_send(feedback_request.pk)

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.com"]
    assert message.subject == "Sparkle Cleaning: how are we doing?"
    assert "Sparkle Cleaning" in message.from_email
    feedback_request.refresh_from_db()
    assert feedback_request.sent_at is not None


def test_the_task_does_nothing_for_a_deleted_or_answered_request():
    answered = FeedbackRequestFactory(sent_at=None, answered_at=timezone.now())

    assert feedback_request_send(answered.pk) is False
    assert feedback_request_send(answered.pk + 1000) is False
    assert mail.outbox == []


def test_the_task_does_not_email_a_customer_marked_do_not_contact_since():
    feedback_request = FeedbackRequestFactory(sent_at=None, customer=CustomerFactory(do_not_contact=True))

    assert feedback_request_send(feedback_request.pk) is False
    assert mail.outbox == []


def test_a_failed_send_releases_the_request_for_a_retry(settings, monkeypatch):
    feedback_request = FeedbackRequestFactory(sent_at=None)

    def broken_send(self, fail_silently=False):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    with pytest.raises(OSError):
        feedback_request_send.run(feedback_request.pk)

    feedback_request.refresh_from_db()
    assert feedback_request.sent_at is None


def test_the_email_through_a_real_smtp_server_carries_a_link_that_opens_the_right_form(
    smtp_server, settings, client
):
    settings.BUSINESS_NAME = "Pool Pros"
    settings.SITE_URL = "http://crm.example.test"
    customer = CustomerFactory(name="Rita <b>Rose</b>", email="rita@example.com")
    feedback_request = FeedbackRequestFactory(sent_at=None, customer=customer)

    assert feedback_request_send(feedback_request.pk) is True

    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["To"] == "rita@example.com"
    assert message["Subject"] == "Pool Pros: how are we doing?"
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk()
             if not part.is_multipart()}
    text, html = parts["text/plain"], parts["text/html"]
    assert "Tell us three things you like about how we serve you" in text
    assert "Hello Rita <b>Rose</b>," in text  # plain text is not HTML-escaped
    assert "Rita &lt;b&gt;Rose&lt;/b&gt;" in html and "<b>Rose</b>" not in html
    link = LINK.search(text).group(0)
    assert link.startswith("http://crm.example.test/feedback/answer/")
    assert link in html

    response = client.post(link.removeprefix("http://crm.example.test"), {"improvement_1": "Skim the leaves too"})

    assert "Thank you" in response.content.decode()
    feedback_request.refresh_from_db()
    assert feedback_request.feedback.customer == customer
    assert [i.text for i in feedback_request.feedback.improvements] == ["Skim the leaves too"]
