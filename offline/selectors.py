"""Reads for the phone: which customer cards a worker should have on the phone, and how the phone lists them."""

import datetime

from django.db.models import QuerySet
from django.urls import reverse

from customers.models import Customer

UPCOMING_DAYS = 7


def precache_customers(*, user, today: datetime.date) -> QuerySet[Customer]:
    """Customers with an open follow-up assigned to `user` due within a week (overdue included): one query."""
    until = today + datetime.timedelta(days=UPCOMING_DAYS)
    return (
        Customer.objects.filter(
            followups__assigned_to=user, followups__done_at__isnull=True, followups__due_date__lte=until
        )
        .distinct()
        .only("id", "name")
        .order_by("name", "id")
    )


def saved_customer_entry(customer: Customer) -> dict:
    """The card and the log form of a customer: what the phone needs to read and log at the door, and to list."""
    return {
        "name": customer.name,
        "card": reverse("customers:detail", args=[customer.pk]),
        "log": reverse("interactions:create", args=[customer.pk]),
    }


def precache_urls(*, customers) -> list[dict]:
    return [saved_customer_entry(customer) for customer in customers]
