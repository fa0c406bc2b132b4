"""Reads for interactions that pages share."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.history import HistorySource, attach_last_editors, short_day, with_last_edit

from .models import Interaction

TIMELINE_LIMIT = 50


def interaction_get(*, pk: int) -> Interaction | None:
    """One interaction with its customer (its pages link back to the customer), or None."""
    return Interaction.objects.select_related("customer").filter(pk=pk).first()


def customer_timeline(*, customer_id: int, limit: int = TIMELINE_LIMIT) -> list[Interaction]:
    """The customer's latest interactions, each with who last edited it and when (last_edit_by, last_edit_at:
    None when never edited). One query, two when one of them was edited."""
    interactions = with_last_edit(Interaction.objects.filter(customer_id=customer_id).select_related("user"))
    return attach_last_editors(interactions.order_by("-occurred_at", "-id")[:limit])


def recent_interactions(*, limit: int = 10) -> QuerySet[Interaction]:
    return Interaction.objects.select_related("customer", "user").order_by("-occurred_at", "-id")[:limit]


# ---- History on the customer card (registered in apps.py) ----------------------------------------------------

def _interaction_label(record) -> str:
    return _("the interaction of %(day)s") % {"day": short_day(record.occurred_at)}


INTERACTION_HISTORY = HistorySource(
    model=Interaction,
    kind="interaction",
    fields=("channel", "direction", "occurred_at", "duration_seconds", "user", "asked_for", "attitude",
            "attitude_note", "we_said_did", "could_do_better", "asked_for_sale", "asked_for_referral",
            "more_services_ideas", "resolved_first_contact", "amount_charged", "amount_refunded"),
    label=_interaction_label,
    money_fields=frozenset({"amount_charged", "amount_refunded"}),
)

