"""Reads for the trash."""

from django.db.models import Count

from customers.models import Customer


def customer_delete_summary(customer: Customer) -> dict:
    """What goes with a customer when it is deleted, counted in one query."""
    counts = Customer.objects.filter(pk=customer.pk).aggregate(
        interactions=Count("interactions", distinct=True),
        followups=Count("followups", distinct=True),
        referrals=Count("referrals", distinct=True),
    )
    return counts
