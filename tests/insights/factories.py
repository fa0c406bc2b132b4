"""Hand-built data for the Insights tests: interactions with money, durations and the checklist's answers."""

import datetime
from decimal import Decimal

from django.utils import timezone

from customers.models import Customer
from tests.factories import CustomerFactory, InteractionFactory

UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    """"2026-06-01 09:30" in UTC."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def interaction(customer, *, when: datetime.datetime, charged="0", refunded="0", minutes=None, **fields):
    return InteractionFactory(
        customer=customer, occurred_at=when, amount_charged=Decimal(charged), amount_refunded=Decimal(refunded),
        duration_seconds=None if minutes is None else int(minutes * 60), **fields,
    )


def customer(name: str, *, since: datetime.date | None = None, **fields) -> Customer:
    return CustomerFactory(name=name, customer_since=since or timezone.localdate() - datetime.timedelta(days=400),
                           **fields)
