"""Writes that touch customers. Keyword-only, validated, in a transaction."""

from django.db import transaction

from .models import Customer


@transaction.atomic
def customer_create(*, tags=(), **fields) -> Customer:
    customer = Customer(**fields)
    customer.full_clean()
    customer.save()
    if tags:
        customer.tags.set(tags)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, tags=None, **fields) -> Customer:
    for name, value in fields.items():
        setattr(customer, name, value)
    customer.full_clean()
    customer.save()
    if tags is not None:
        customer.tags.set(tags)
    return customer


@transaction.atomic
def customer_delete(*, customer: Customer) -> None:
    """Deletes the customer with their interactions and follow-ups; referrals keep existing."""
    customer.delete()
