"""What follow-ups show on the customer card (registered in apps.py)."""

from django.utils import timezone

from .selectors import customer_done_followups, customer_open_followups


def card_open_context(*, customer, request) -> dict:
    """One query."""
    return {"customer": customer, "open_followups": customer_open_followups(customer_id=customer.pk),
            "today": timezone.localdate()}


def card_done_context(*, customer, request) -> dict:
    """One query."""
    return {"done_followups": customer_done_followups(customer_id=customer.pk)}
