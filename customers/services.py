"""Writes that touch customers. Keyword-only, validated, in a transaction."""

from django.db import transaction

from core.services import model_update

from .models import Customer, Tag

# What a person may change on a customer; the look-up fields derived from them follow in Customer.save().
CUSTOMER_UPDATE_FIELDS = [
    "name", "kind", "company", "status", "assigned_to",
    "phone", "alt_phone", "email", "preferred_contact", "do_not_contact",
    "street", "town", "postcode", "access_notes",
    "key_points", "personality", "wants", "needs", "hard_needs", "soft_needs",
    "source", "referred_by",
]


@transaction.atomic
def customer_create(*, tags=(), **fields) -> Customer:
    customer = Customer(**fields)
    customer.full_clean()
    customer.save()
    if tags:
        customer.tags.set(tags)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, data: dict, tags=None) -> Customer:
    """Saves what changed among CUSTOMER_UPDATE_FIELDS; the tags are replaced only when given.

    Compares with the stored row, not with `customer`: a ModelForm's validation has already set the typed
    values on the instance it was given, so that instance would look unchanged.
    """
    stored = Customer.objects.select_for_update().get(pk=customer.pk)
    stored, _changed = model_update(instance=stored, fields=CUSTOMER_UPDATE_FIELDS, data=data)
    if tags is not None:
        stored.tags.set(tags)
    return stored


def tag_get_or_create(*, name: str) -> Tag:
    """The tag with this name in any case ("vip" finds "VIP"), created when there is none."""
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
