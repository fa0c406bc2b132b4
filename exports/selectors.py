"""The rows each export reads, a chunk at a time: the number of queries grows with the chunks, never with the rows."""

import datetime
from collections.abc import Iterator
from itertools import islice

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast, Lower

from customers.models import Customer
from followups.models import FollowUp
from interactions.models import Interaction

CHUNK_SIZE = 2000


CUSTOMER_FIELDS = (
    "id", "name", "company", "kind", "status", "email", "preferred_contact", "do_not_contact", "street", "town",
    "postcode", "access_notes", "key_points", "personality", "wants", "needs", "hard_needs", "soft_needs", "source",
    "contact_every_days", "customer_since", "happy_to_be_reference", "happy_to_try_new",
    "assigned_to__first_name", "assigned_to__last_name", "assigned_to__username",
)


def customers(chosen: QuerySet[Customer]) -> Iterator[dict]:
    """The chosen customers in their own order, as dicts of CUSTOMER_FIELDS, phone_e164, alt_phone_e164 and
    tags (their names, by name in any case).

    Plain values rather than model objects, and the phones read as stored (E.164, phonenumber_field's storage
    format) rather than parsed and formatted again: 100,000 customers export in a third of the time.
    Queries, per chunk of CHUNK_SIZE: the customers (with who looks after them), and their tags.
    """
    rows = chosen.values(
        *CUSTOMER_FIELDS, phone_e164=Cast("phone", CharField()), alt_phone_e164=Cast("alt_phone", CharField())
    ).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        tags = _tag_names([row["id"] for row in chunk])
        for row in chunk:
            row["tags"] = tags.get(row["id"], [])
            yield row


def _tag_names(customer_ids: list[int]) -> dict[int, list[str]]:
    """{customer id: the names of their tags, by name in any case}, in one query."""
    links = (
        Customer.tags.through.objects.filter(customer_id__in=customer_ids)
        .order_by(Lower("tag__name"), "tag__name")
        .values_list("customer_id", "tag__name")
    )
    names: dict[int, list[str]] = {}
    for customer_id, name in links:
        names.setdefault(customer_id, []).append(name)
    return names


def interactions(
    *, start: datetime.datetime | None = None, end: datetime.datetime | None = None, member_id: int | None = None,
    customers: QuerySet[Customer] | None = None,
) -> Iterator[Interaction]:
    """Interactions from `start` up to (not including) `end`, logged by `member_id`, with one of `customers`;
    oldest first. None chooses all. One query per chunk."""
    chosen = _narrowed(Interaction.objects.select_related("customer", "user"), customers,
                       occurred_at__gte=start, occurred_at__lt=end, user_id=member_id)
    return chosen.order_by("occurred_at", "id").iterator(chunk_size=CHUNK_SIZE)


def followups(
    *, first_day: datetime.date | None = None, last_day: datetime.date | None = None, member_id: int | None = None,
    state: str = "", customers: QuerySet[Customer] | None = None,
) -> Iterator[FollowUp]:
    """Follow-ups due from `first_day` to `last_day` (both included), assigned to `member_id`, "open" or "done"
    ("" for both), for one of `customers`; soonest due first. None chooses all. One query per chunk."""
    chosen = _narrowed(FollowUp.objects.select_related("customer", "assigned_to", "done_by"), customers,
                       due_date__gte=first_day, due_date__lte=last_day, assigned_to_id=member_id,
                       done_at__isnull=(state == "open") if state else None)
    return chosen.order_by("due_date", "id").iterator(chunk_size=CHUNK_SIZE)


def _narrowed(rows: QuerySet, customers: QuerySet[Customer] | None, **lookups) -> QuerySet:
    """`rows` narrowed by each lookup that has a value, and to those of `customers` (a sub-query) when given.

    The customer's search text is left unread: it is only for searching, and the longest column of the row.
    """
    rows = rows.defer("customer__search_text").filter(**{key: value for key, value in lookups.items()
                                                           if value is not None})
    return rows if customers is None else rows.filter(customer__in=customers.values("pk"))
