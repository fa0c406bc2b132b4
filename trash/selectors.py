"""Reads for the trash."""

from dataclasses import dataclass

from django.db.models import QuerySet

from customers.models import Customer

from . import rows
from .models import TrashedCustomer


@dataclass(frozen=True)
class DeleteSummary:
    goes: list[str]  # "3 interactions", "2 follow-ups", … in the order Django finds them
    stays: list[str]  # "1 customer they referred", … rows that stay but lose their link


def describe(contents: list[dict], cut_links: list[dict]) -> DeleteSummary:
    return DeleteSummary(
        goes=[rows.noun(entry["model"], entry["count"]) for entry in contents],
        stays=[rows.link_noun(entry["field"], entry["count"]) for entry in cut_links],
    )


def customer_delete_summary(customer: Customer) -> DeleteSummary:
    """Everything a delete would remove with the customer, and the links it would cut, found as the delete
    finds them: one query per related model, plus one per link to be cut."""
    collected = rows.collect(customer)
    return describe(collected.contents, collected.cut_links)


def trash_list() -> QuerySet[TrashedCustomer]:
    """Newest first, without the kept rows (the page needs only their counts)."""
    return TrashedCustomer.objects.select_related("deleted_by").defer("payload", "links").order_by("-deleted_at", "-id")


def trashed_get(*, pk: int) -> TrashedCustomer | None:
    return TrashedCustomer.objects.defer("payload", "links").filter(pk=pk).first()
