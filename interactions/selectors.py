"""Reads for interactions that pages share."""

from django.db.models import QuerySet

from .models import Interaction

TIMELINE_LIMIT = 50


def interaction_get(*, pk: int) -> Interaction | None:
    """One interaction with its customer (its pages link back to the customer), or None."""
    return Interaction.objects.select_related("customer").filter(pk=pk).first()


def customer_timeline(*, customer_id: int, limit: int = TIMELINE_LIMIT) -> QuerySet[Interaction]:
    return Interaction.objects.filter(customer_id=customer_id).select_related("user").order_by("-occurred_at", "-id")[:limit]


def recent_interactions(*, limit: int = 10) -> QuerySet[Interaction]:
    return Interaction.objects.select_related("customer", "user").order_by("-occurred_at", "-id")[:limit]
