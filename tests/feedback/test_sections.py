"""What feedback adds to the customer card, Today and the weekly email."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from feedback.sections import digest_context
from tests.factories import CustomerFactory

from .factories import FeedbackFactory, FeedbackRequestFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_the_card_shows_the_customers_feedback_and_only_theirs(owner_client):
    customer = CustomerFactory()
    FeedbackFactory(customer=customer, likes=["Their answer"], rating=5)
    FeedbackFactory(likes=["Someone else's answer"])

    page = owner_client.get(customer.get_absolute_url()).content.decode()

    assert "Their answer" in page and "5/5" in page
    assert "Someone else" not in page


def test_the_card_shows_requests_sent_answered_or_pending(owner_client, settings):
    settings.FEEDBACK_LINK_MAX_AGE_DAYS = 30
    customer = CustomerFactory()
    FeedbackRequestFactory(customer=customer, answered_at=timezone.now(), feedback=FeedbackFactory(customer=customer, likes=["x"]))
    FeedbackRequestFactory(customer=customer)
    FeedbackRequestFactory(customer=customer, sent_at=None)
    FeedbackRequestFactory(customer=customer, created_at=timezone.now() - datetime.timedelta(days=40))

    page = owner_client.get(customer.get_absolute_url()).content.decode()

    assert "Answered" in page
    assert "Sent, waiting for an answer" in page
    assert "Sending…" in page
    assert "Expired, no answer" in page


def test_the_card_says_why_a_customer_cannot_be_asked_by_email(owner_client):
    customer = CustomerFactory(email="")

    page = owner_client.get(customer.get_absolute_url()).content.decode()

    assert "No email address: ask in person or by phone" in page


def test_answers_with_html_are_escaped_on_the_card(owner_client):
    customer = CustomerFactory()
    FeedbackFactory(customer=customer, likes=[SCRIPT], improvements=[SCRIPT])

    page = owner_client.get(customer.get_absolute_url()).content.decode()

    assert SCRIPT not in page and page.count(ESCAPED) == 2


@pytest.mark.parametrize("count", [1, 6])
def test_the_card_section_query_count_does_not_grow(owner_client, django_assert_num_queries, count):
    customer = CustomerFactory()
    for _ in range(count):
        FeedbackFactory(customer=customer, likes=["a", "b"], improvements=["c"])
        FeedbackRequestFactory(customer=customer)
    from feedback.sections import card_context

    request = owner_client.get(customer.get_absolute_url()).wsgi_request

    # feedback (+ customer, recorded_by), their answers (+ follow-ups), requests (+ requested_by)
    with django_assert_num_queries(3):
        context = card_context(customer=customer, request=request)
    assert len(context["feedback"]) == min(count, 5)


def test_today_shows_feedback_from_the_last_seven_days_escaped(worker_client):
    FeedbackFactory(customer=CustomerFactory(name="Recent Rachel"), likes=[SCRIPT],
                    received_at=timezone.now() - datetime.timedelta(days=2))
    FeedbackFactory(customer=CustomerFactory(name="Old Oscar"), likes=["old"],
                    received_at=timezone.now() - datetime.timedelta(days=8))

    page = worker_client.get(reverse("today")).content.decode()

    assert "Feedback this week" in page
    assert "Recent Rachel" in page and "Old Oscar" not in page
    assert SCRIPT not in page and ESCAPED in page


def test_the_weekly_email_section_counts_and_lists_this_weeks_feedback(owner, settings):
    settings.SITE_URL = "http://crm.example.test"
    now = timezone.now()
    FeedbackFactory(customer=CustomerFactory(name="Rachel <Recent>"), likes=[SCRIPT], improvements=["Be on time & tidy"],
                    received_at=now - datetime.timedelta(days=1))
    FeedbackFactory(likes=["old"], received_at=now - datetime.timedelta(days=9))

    context = digest_context(user=owner, today=timezone.localdate(now), now=now)
    html = render_to_string("feedback/emails/digest_section.html", {"c": context})

    assert context["count"] == 1
    assert SCRIPT not in html and ESCAPED in html
    assert "Rachel &lt;Recent&gt;" in html and "Be on time &amp; tidy" in html
    assert "http://crm.example.test/feedback/" in html
    assert "old" not in html


def test_the_weekly_email_text_section_is_not_html_escaped(owner):
    from mail.emails import render_text

    now = timezone.now()
    FeedbackFactory(likes=["Smith & Sons <3"], received_at=now - datetime.timedelta(hours=1))

    context = digest_context(user=owner, today=timezone.localdate(now), now=now)
    text = render_text("feedback/emails/digest_section.txt", {"c": context})

    assert "FEEDBACK THIS WEEK (1)" in text
    assert "Likes: Smith & Sons <3" in text


def test_the_weekly_email_section_has_nothing_to_say_in_a_quiet_week(owner):
    now = timezone.now()
    FeedbackFactory(likes=["old"], received_at=now - datetime.timedelta(days=9))

    assert digest_context(user=owner, today=timezone.localdate(now), now=now)["count"] == 0
