"""The customer's private link: the one page that needs no account."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, FeedbackItem
from feedback.tokens import token_for
from tests.factories import CustomerFactory

from .factories import FeedbackFactory, FeedbackRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback_request():
    return FeedbackRequestFactory(customer=CustomerFactory(name="Priscilla Private", email="priscilla@example.com"))


def _url(feedback_request):
    return reverse("feedback:answer", args=[token_for(feedback_request)])


def test_a_valid_link_shows_the_business_name_and_the_two_questions(client, settings, feedback_request):
    settings.BUSINESS_NAME = "Green Thumb Gardens"

    response = client.get(_url(feedback_request))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Green Thumb Gardens" in page
    assert "Tell us three things you like about how we serve you" in page
    assert "Tell us three things we could improve" in page
    assert "Priscilla" not in page and "priscilla@" not in page
    assert response["Referrer-Policy"] == "same-origin"


def test_the_customers_answer_is_stored_and_thanked_for(client, feedback_request):
    response = client.post(
        _url(feedback_request),
        {"like_1": "Always on time", "like_2": "Tidy", "improvement_1": "Call before coming", "rating": "4"},
    )

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    feedback = Feedback.objects.get()
    assert feedback.customer == feedback_request.customer
    assert feedback.channel == Feedback.Channel.LINK
    assert feedback.recorded_by is None
    assert feedback.rating == 4
    assert [i.text for i in feedback.likes] == ["Always on time", "Tidy"]
    assert [i.text for i in feedback.improvements] == ["Call before coming"]
    feedback_request.refresh_from_db()
    assert feedback_request.answered_at is not None
    assert feedback_request.feedback == feedback


def test_a_link_can_be_answered_only_once(client, feedback_request):
    client.post(_url(feedback_request), {"like_1": "First answer"})

    second = client.post(_url(feedback_request), {"like_1": "Second answer"})

    assert second.status_code == 410
    assert "already been used" in second.content.decode()
    assert list(FeedbackItem.objects.values_list("text", flat=True)) == ["First answer"]


def test_an_empty_answer_is_refused_and_keeps_the_rating(client, feedback_request):
    response = client.post(_url(feedback_request), {"rating": "3"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Write at least one thing you like or one thing we could improve." in page
    assert re.search(r'<input[^>]*name="rating" value="3"[^>]*checked', page)
    assert not Feedback.objects.exists()
    feedback_request.refresh_from_db()
    assert feedback_request.answered_at is None


def test_a_too_long_answer_keeps_everything_typed(client, feedback_request):
    response = client.post(
        _url(feedback_request), {"like_1": "Friendly staff", "improvement_1": "x" * 301, "improvement_2": "Earlier slots"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Friendly staff"' in page
    assert 'value="Earlier slots"' in page
    assert "at most 300 characters" in page
    assert not Feedback.objects.exists()


def test_a_used_link_says_so_without_naming_the_customer(client, feedback_request):
    feedback_request.answered_at = timezone.now()
    feedback_request.feedback = FeedbackFactory(customer=feedback_request.customer, likes=["x"])
    feedback_request.save()

    response = client.get(_url(feedback_request))

    assert response.status_code == 410
    page = response.content.decode()
    assert "already been used" in page
    assert "Priscilla" not in page and "<form" not in page


def test_an_expired_link_says_so_without_naming_the_customer(client, settings, feedback_request):
    settings.FEEDBACK_LINK_MAX_AGE_DAYS = 30
    url = _url(feedback_request)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = client.get(url)

    assert response.status_code == 410
    page = response.content.decode()
    assert "expired" in page
    assert "Priscilla" not in page and "<form" not in page


def test_an_expired_link_cannot_be_answered(client, settings, feedback_request):
    url = _url(feedback_request)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=settings.FEEDBACK_LINK_MAX_AGE_DAYS + 1)):
        response = client.post(url, {"like_1": "Late answer"})

    assert response.status_code == 410
    assert not Feedback.objects.exists()


def test_a_tampered_link_says_it_is_not_valid(client, feedback_request):
    token = token_for(feedback_request)

    response = client.get(reverse("feedback:answer", args=[token[:-2] + "zz"]))

    assert response.status_code == 404
    page = response.content.decode()
    assert "not valid" in page
    assert "Priscilla" not in page and "<form" not in page


def test_the_link_is_rate_limited(client, settings, feedback_request):
    settings.FEEDBACK_LINK_RATE_LIMIT = "3/m"
    url = _url(feedback_request)

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert "Too many attempts" in client.get(url).content.decode()


def test_the_rate_limit_counts_guesses_at_invalid_links_too(client, settings):
    settings.FEEDBACK_LINK_RATE_LIMIT = "2/m"

    statuses = [client.get(reverse("feedback:answer", args=[f"guess{n}"])).status_code for n in range(3)]

    assert statuses == [404, 404, 429]


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("feedback:list", []),
        ("feedback:create", [1]),
        ("feedback:request_create", [1]),
        ("feedback:improvement_followup", [1]),
        ("customers:list", []),
        ("today", []),
    ],
)
def test_an_anonymous_visitor_is_sent_to_sign_in_everywhere_else(client, feedback_request, url_name, args):
    client.get(_url(feedback_request))  # holding a valid link opens nothing else

    for method in (client.get, client.post):
        response = method(reverse(url_name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
