"""Writes for follow-ups. Keyword-only, validated, in a transaction."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.conflicts import UNCHECKED, bump_version
from core.services import model_update

from .models import FollowUp

# What an edit may change; the customer, the author and the done state have services of their own.
FOLLOWUP_UPDATE_FIELDS = ["description", "due_date", "assigned_to"]


@transaction.atomic
def followup_create(*, customer, description: str, due_date: datetime.date, assigned_to, created_by,
                    interaction=None) -> FollowUp:
    followup = FollowUp(
        customer=customer,
        description=description,
        due_date=due_date,
        assigned_to=assigned_to,
        created_by=created_by,
        interaction=interaction,
    )
    followup.full_clean()
    followup.save()
    return followup


@transaction.atomic
def followup_update(*, followup: FollowUp, data: dict, expected_version=UNCHECKED) -> FollowUp:
    """Saves what changed in `data` (keys from FOLLOWUP_UPDATE_FIELDS only).

    `expected_version` is the version the edit form was opened with: another one raises core.conflicts.Conflict.
    Who may call it for whom is followups.rules.can_edit.
    """
    # Compared with the stored row, not with `followup`: a ModelForm has already copied its values onto that.
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    followup, _changed = model_update(instance=followup, fields=FOLLOWUP_UPDATE_FIELDS, data=data,
                                      expected_version=expected_version)
    return followup


def _append_outcome(existing: str, note: str, when: datetime.datetime) -> str:
    note = (note or "").strip()
    if not note:
        return existing
    line = f"{timezone.localtime(when):%Y-%m-%d %H:%M} — {note}"
    return f"{existing}\n{line}" if existing else line


# The quick actions below change only their own fields and do not compare versions (done twice is done once),
# but each bumps it, so that an edit form opened before them notices. Who may: followups.rules.can_complete.


@transaction.atomic
def followup_complete(*, followup: FollowUp, user, outcome: str = "") -> FollowUp:
    """Marks the follow-up done. Done twice (a double click) changes nothing the second time."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.done_at is not None:
        return followup
    now = timezone.now()
    followup.done_at = now
    followup.done_by = user
    followup.outcome = _append_outcome(followup.outcome, outcome, now)
    followup.save(update_fields=["done_at", "done_by", "outcome", "updated_at", *bump_version(followup)])
    return followup


@transaction.atomic
def followup_reopen(*, followup: FollowUp) -> FollowUp:
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.done_at is None:
        return followup  # reopened twice (a double click): the second changes nothing
    followup.done_at = None
    followup.done_by = None
    followup.save(update_fields=["done_at", "done_by", "updated_at", *bump_version(followup)])
    return followup


@transaction.atomic
def followup_try_again(*, followup: FollowUp, due_date: datetime.date, note: str = "") -> FollowUp:
    """"Never give up first: call once more." Reschedules, counts the attempt, keeps the note."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    now = timezone.now()
    followup.attempts += 1
    followup.due_date = due_date
    followup.done_at = None
    followup.done_by = None
    followup.outcome = _append_outcome(followup.outcome, note or f"Attempt {followup.attempts - 1}: no answer", now)
    followup.full_clean()
    followup.save(update_fields=["attempts", "due_date", "done_at", "done_by", "outcome", "updated_at",
                                 *bump_version(followup)])
    return followup
