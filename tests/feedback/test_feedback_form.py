"""Taking feedback in person or on the phone, from the customer card."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _url(customer):
    return reverse("feedback:create", args=[customer.pk])


def test_the_card_offers_to_take_feedback(worker_client):
    customer = CustomerFactory()

    page = worker_client.get(customer.get_absolute_url()).content.decode()

    assert _url(customer) in page
    assert "Take feedback" in page and "Ask for feedback" in page


def test_a_field_worker_can_record_feedback_taken_in_person(worker_client, worker):
    customer = CustomerFactory()
    when = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)

    response = worker_client.post(
        _url(customer),
        {
            "like_1": "Friendly", "like_2": "", "like_3": "Quick",
            "improvement_1": "Text when on the way",
            "rating": "5", "channel": "in_person", "received_at": when.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == customer.get_absolute_url() + "#feedback"
    feedback = Feedback.objects.get()
    assert feedback.customer == customer
    assert feedback.recorded_by == worker
    assert feedback.channel == Feedback.Channel.IN_PERSON
    assert feedback.rating == 5
    assert feedback.received_at == when
    assert [(i.position, i.text) for i in feedback.likes] == [(1, "Friendly"), (2, "Quick")]
    assert [i.text for i in feedback.improvements] == ["Text when on the way"]
    card = worker_client.get(customer.get_absolute_url()).content.decode()
    assert "Text when on the way" in card and "taken by Will Worker" in card


def test_the_form_keeps_what_was_typed_when_there_is_an_error(owner_client):
    customer = CustomerFactory()

    response = owner_client.post(
        _url(customer),
        {"like_1": "Polite crew", "improvement_2": "Bring <b>shoe covers</b>", "rating": "2", "channel": "phone",
         "received_at": "not a date"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Polite crew"' in page
    assert 'value="Bring &lt;b&gt;shoe covers&lt;/b&gt;"' in page
    assert re.search(r'<input[^>]*name="channel" value="phone"[^>]*checked', page)
    assert re.search(r'<input[^>]*name="rating" value="2"[^>]*checked', page)
    assert "Enter a valid date/time." in page
    assert not Feedback.objects.exists()


def test_at_least_one_answer_is_needed(owner_client):
    customer = CustomerFactory()

    response = owner_client.post(
        _url(customer), {"like_1": "   ", "rating": "4", "channel": "in_person",
                         "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    )

    assert "Write at least one thing you like or one thing we could improve." in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_cannot_be_dated_in_the_future(owner_client):
    customer = CustomerFactory()
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)

    response = owner_client.post(
        _url(customer), {"like_1": "Good", "channel": "phone", "received_at": tomorrow.strftime("%Y-%m-%dT%H:%M")}
    )

    assert "That is in the future." in response.content.decode()
    assert not Feedback.objects.exists()


def test_staff_cannot_pretend_the_customer_used_their_own_link(owner_client):
    customer = CustomerFactory()

    response = owner_client.post(
        _url(customer), {"like_1": "Good", "channel": "link", "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    )

    assert "Select a valid choice" in response.content.decode()
    assert not Feedback.objects.exists()
