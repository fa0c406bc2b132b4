"""Reads for follow-ups that pages and emails share."""

import datetime

from django.db.models import QuerySet

from .models import FollowUp


def followup_get(*, pk: int) -> FollowUp | None:
    """One follow-up with its customer (every page about it links back to the customer), or None."""
    return FollowUp.objects.select_related("customer").filter(pk=pk).first()


def customer_open_followups(*, customer_id: int) -> QuerySet[FollowUp]:
    return FollowUp.objects.open().filter(customer_id=customer_id).select_related("assigned_to").order_by("due_date", "id")


def customer_done_followups(*, customer_id: int, limit: int = 10) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(customer_id=customer_id, done_at__isnull=False)
        .select_related("assigned_to", "done_by")
        .order_by("-done_at", "-id")[:limit]
    )


def user_followups_until(*, user, until: datetime.date) -> QuerySet[FollowUp]:
    """A user's open follow-ups due on or before `until` (overdue ones included), soonest first."""
    return (
        FollowUp.objects.open()
        .filter(assigned_to=user, due_date__lte=until)
        .select_related("customer")
        .order_by("due_date", "id")
    )
