"""What action plans add to the customer card, Today and the weekly email (servicecrm.sections)."""

from django.conf import settings

from .selectors import due_steps_split, plans_for_customer


def card_context(*, customer, request) -> dict:
    """Plans serving this customer with their next open steps: two queries (tags come prefetched)."""
    return {"plans": plans_for_customer(customer=customer), "customer": customer}


def today_context(*, user, today, request) -> dict:
    """My open plan steps, overdue and due in the next seven days: one query."""
    due = due_steps_split(user, today)
    return {"overdue": due.overdue, "upcoming": due.upcoming, "count": due.count, "today": today}


def digest_context(*, user, today, now) -> dict:
    due = due_steps_split(user, today)
    return {
        "overdue": due.overdue,
        "upcoming": due.upcoming,
        "count": due.count,
        "today": today,
        "site_url": settings.SITE_URL,
    }
