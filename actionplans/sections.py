"""What action plans add to the customer card, Today and the weekly email (core.registries)."""

from django.conf import settings

from .selectors import due_steps_split, plans_for_customer


def card_context(*, customer, request) -> dict:
    """Plans serving this customer with their next open steps: two queries (tags come prefetched)."""
    return {"plans": plans_for_customer(customer=customer), "customer": customer}


def today_context(*, user, today, request) -> dict:
    """My open plan steps, overdue and due in the next seven days: one query (two past the list limit)."""
    due = due_steps_split(user, today)
    return {"overdue": due.overdue, "upcoming": due.upcoming, "count": due.count, "more": due.more, "today": today}


def digest_context(*, user, today, now) -> dict:
    """The same steps for the weekly email, with the site's address for links."""
    return {**today_context(user=user, today=today, request=None), "site_url": settings.SITE_URL}
