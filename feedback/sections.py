"""What feedback contributes to the customer card, Today and the weekly email (core.registries)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import selectors

RECENT_DAYS = 7


def card_context(*, customer, request) -> dict:
    """The customer's newest feedback and requests. Queries: feedback, its answers, requests (+ hooks)."""
    now = timezone.now()
    feedback = selectors.customer_feedback(customer_id=customer.pk)
    selectors.attach_improvement_actions(feedback, user=request.user)
    requests = selectors.customer_feedback_requests(customer_id=customer.pk)
    for feedback_request in requests:
        feedback_request.state = feedback_request.status(now)
    return {
        "customer": customer,
        "feedback": feedback,
        "requests": requests,
        "can_email": bool(customer.email) and not customer.do_not_contact,
    }


def today_context(*, user, today, request) -> dict:
    """Feedback received in the last seven days. Two queries, three when the list is full."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    recent = selectors.feedback_since(since=since)
    return {"count": recent["count"], "feedback": recent["items"]}


def digest_context(*, user, today, now) -> dict:
    """The weekly email's feedback section: what came in over the last seven days. Two or three queries."""
    recent = selectors.feedback_since(since=now - datetime.timedelta(days=RECENT_DAYS))
    return {
        "count": recent["count"],
        "feedback": recent["items"],
        "more": recent["more"],
        "list_url": settings.SITE_URL + reverse("feedback:list"),
        "site_url": settings.SITE_URL,
    }
