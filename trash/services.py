"""Writes for the trash: delete to the trash, restore, erase for good, purge what is due."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from customers.models import Customer

from . import rows
from .models import TrashedCustomer


@transaction.atomic
def customer_delete(*, customer: Customer, deleted_by=None, now: datetime.datetime | None = None) -> TrashedCustomer:
    """Moves the customer to the trash with every row that goes with them, and deletes them.

    Their interactions, follow-ups, feedback, plans and whatever else cascades go with them; the customers they
    referred stay, without their referrer, until a restore gives it back. The deletion writes a "-" history
    row for each row deleted (django-simple-history), so the owner sees who deleted what.
    """
    now = now or timezone.now()
    collected = rows.collect(customer)
    trashed = TrashedCustomer.objects.create(
        customer_pk=customer.pk,
        name=str(customer)[:200],
        deleted_by=deleted_by,
        deleted_at=now,
        purge_after=now + datetime.timedelta(days=settings.TRASH_RETENTION_DAYS),
        contents=collected.contents,
        cut_links=collected.cut_links,
        payload=collected.payload(),
        links=[{"field": key, "rows": pairs} for key, pairs in collected.links.items() if pairs],
    )
    collected.delete()
    return trashed


@dataclass(frozen=True)
class RestoreResult:
    customer_pk: int
    name: str
    reassigned: int  # rows of someone no longer here that are now the restorer's (a follow-up)
    cleared: int  # rows that named someone no longer here and now name nobody
    links: int  # rows that stayed and got their link back (a referral's "referred by")


@transaction.atomic
def trashed_customer_restore(*, trashed_id: int, restored_by) -> RestoreResult:
    """Puts the customer back with every row that went with them, same ids and values, and deletes the trash row.

    Locks the trash row first: of two restores at once, the second finds nothing to restore.
    Raises RestoreRefused (nothing changed) when the customer cannot come back as they were.
    """
    trashed = TrashedCustomer.objects.select_for_update().filter(pk=trashed_id).first()
    if trashed is None:
        raise rows.RestoreRefused("This customer is no longer in the trash: restored or erased meanwhile.")
    restored = rows.restore(payload=trashed.payload, links=trashed.links, restored_by=restored_by)
    trashed.delete()
    return RestoreResult(
        customer_pk=trashed.customer_pk,
        name=trashed.name,
        reassigned=restored.reassigned,
        cleared=restored.cleared,
        links=restored.links,
    )


@transaction.atomic
def trashed_customer_erase(*, trashed_id: int) -> bool:
    """Erases a trashed customer for good: the kept rows and every history row of theirs.

    Returns False when there was nothing left to erase (restored or erased meanwhile), so that a purge run
    twice, or an erase clicked twice, does nothing the second time.
    """
    trashed = TrashedCustomer.objects.select_for_update().filter(pk=trashed_id).first()
    if trashed is None:
        return False
    rows.history_erase(payload=trashed.payload)
    trashed.delete()
    return True


@transaction.atomic
def customer_erase(*, customer: Customer, erased_by=None) -> None:
    """Erases a customer for good at once (their request to be forgotten): deleted, and no copy or history kept."""
    trashed = customer_delete(customer=customer, deleted_by=erased_by)
    trashed_customer_erase(trashed_id=trashed.pk)


def trash_purge_due(*, now: datetime.datetime, limit: int) -> int:
    """Erases for good at most `limit` trashed customers whose time is up, each in its own transaction.

    Safe to run twice at once: each erase locks its row and skips one already gone.
    """
    due = list(
        TrashedCustomer.objects.filter(purge_after__lte=now)
        .order_by("purge_after", "id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(trashed_customer_erase(trashed_id=trashed_id) for trashed_id in due)
