"""What follow-ups show on the customer card (registered in apps.py)."""

from django.utils import timezone

from .selectors import customer_done_followups, customer_open_followups, with_last_change


def card_open_context(*, customer, request) -> dict:
    """One query, and one more for who last changed them when any was changed."""
    return {"customer": customer, "open_followups": with_last_change(customer_open_followups(customer_id=customer.pk)),
            "today": timezone.localdate()}


def card_done_context(*, customer, request) -> dict:
    """One query, and one more for who last changed them when any was changed."""
    return {"done_followups": with_last_change(customer_done_followups(customer_id=customer.pk))}
