"""Reads for follow-ups that pages and emails share."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.history import HistorySource, attach_last_editors, with_last_edit

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


def with_last_change(followups: QuerySet[FollowUp]) -> list[FollowUp]:
    """The follow-ups, each with who last changed it after it was created and when (last_edit_by,
    last_edit_at: None when never changed). No query more, one when one of them was changed.

    For the card (followups/sections.py): with_last_change(customer_open_followups(customer_id=...)).
    """
    return attach_last_editors(with_last_edit(followups))


# ---- History on the customer card (registered in interactions/apps.py with the interactions) --------------------

def _followup_label(record) -> str:
    return _("the follow-up “%(what)s”") % {"what": record.description}


def _followup_verb(record, changes) -> str:
    done = next((change for change in changes if change.field == "done_at"), None)
    if done is None:
        return ""
    return _("completed") if done.old is None else _("reopened") if done.new is None else ""


FOLLOWUP_HISTORY = HistorySource(
    model=FollowUp,
    kind="follow-up",
    fields=("description", "due_date", "assigned_to", "attempts", "outcome", "done_at", "done_by"),
    label=_followup_label,
    verb=_followup_verb,
)
