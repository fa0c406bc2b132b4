"""Writes for the trash."""

from django.db import transaction

from customers.models import Customer


@transaction.atomic
def customer_delete(*, customer: Customer) -> None:
    """Deletes the customer with their interactions and follow-ups; referrals keep existing."""
    customer.delete()
