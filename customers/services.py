"""Writes that touch customers. Keyword-only, validated, in a transaction."""

from django.db import transaction

from core.conflicts import UNCHECKED, bump_version
from core.services import model_update

from .models import Customer, Tag

# What a person may change on a customer; the look-up fields derived from them follow in Customer.save().
CUSTOMER_UPDATE_FIELDS = [
    "name", "kind", "company", "status", "assigned_to",
    "phone", "alt_phone", "email", "preferred_contact", "do_not_contact",
    "street", "town", "postcode", "access_notes",
    "key_points", "personality", "wants", "needs", "hard_needs", "soft_needs",
    "source", "referred_by",
    "contact_every_days", "customer_since", "happy_to_be_reference", "happy_to_try_new",
]


# Always set, so "empty" has no meaning for them: never filled from another record (a merge, an import's duplicate).
ALWAYS_SET_FIELDS = {"kind", "status", "preferred_contact", "do_not_contact", "customer_since",
                     "happy_to_be_reference", "happy_to_try_new"}


def is_empty(value) -> bool:
    """Whether a customer's field holds nothing: an empty PhoneNumberField reads back as "" or as a PhoneNumber
    whose text is ""."""
    return value is None or str(value) == ""


@transaction.atomic
def customer_create(*, tags=(), **fields) -> Customer:
    customer = Customer(**fields)
    customer.full_clean()
    customer.save()
    if tags:
        customer.tags.set(tags)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, data: dict, tags=None, expected_version=UNCHECKED) -> Customer:
    """Saves what changed among CUSTOMER_UPDATE_FIELDS; the tags are replaced only when given.

    Compares with the stored row, not with `customer`: a ModelForm's validation has already set the typed
    values on the instance it was given, so that instance would look unchanged. `expected_version` is the
    version the edit form was opened with: another one raises core.conflicts.Conflict and saves nothing.
    """
    stored = Customer.objects.select_for_update().get(pk=customer.pk)
    stored, changed = model_update(instance=stored, fields=CUSTOMER_UPDATE_FIELDS, data=data,
                                   expected_version=expected_version)
    if tags is not None:
        # Read once and written only in part, as tags.set() would: the same queries, and we learn whether they changed.
        current = set(stored.tags.values_list("pk", flat=True))
        wanted = {tag.pk for tag in tags}
        if current != wanted:
            stored.tags.remove(*(current - wanted))
            stored.tags.add(*(wanted - current))
            if not changed:
                # A change of tags alone is a save too: an edit form opened before it must notice.
                stored.save(update_fields=bump_version(stored))
    return stored


def tag_get_or_create(*, name: str) -> Tag:
    """The tag with this name in any case ("vip" finds "VIP"), created when there is none."""
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
