"""Writes for interactions. Keyword-only, validated, in a transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.conflicts import UNCHECKED
from core.services import model_update
from followups.services import followup_create

from .models import Interaction

# The checklist as a person fills it in; the customer, the author and the offline client key never change.
INTERACTION_UPDATE_FIELDS = [
    "channel", "direction", "occurred_at", "duration_seconds",
    "asked_for", "attitude", "attitude_note", "we_said_did", "could_do_better",
    "asked_for_sale", "asked_for_referral", "more_services_ideas", "resolved_first_contact",
    "amount_charged", "amount_refunded",
]


@transaction.atomic
def interaction_create(*, customer, user, followup_description: str = "", followup_due=None,
                       followup_assignee=None, **fields) -> Interaction:
    """Logs an interaction and, when a follow-up is asked for, creates it with the same author."""
    followup_description = (followup_description or "").strip()
    # Half a follow-up is refused, never silently dropped: "what" needs a "when" and the other way round.
    if followup_description and not followup_due:
        raise ValidationError({"followup_due": _("Say when the follow-up is due.")})
    if followup_due and not followup_description:
        raise ValidationError({"followup_description": _("Say what needs to be done.")})
    interaction = Interaction(customer=customer, user=user, **fields)
    interaction.full_clean()
    interaction.save()
    if followup_description:
        followup_create(
            customer=customer,
            description=followup_description,
            due_date=followup_due,
            assigned_to=followup_assignee or user,
            created_by=user,
            interaction=interaction,
        )
    return interaction


@transaction.atomic
def interaction_update(*, interaction: Interaction, data: dict, expected_version=UNCHECKED) -> Interaction:
    """Saves what changed in `data` (keys from INTERACTION_UPDATE_FIELDS only).

    `expected_version` is the version the edit form was opened with: another one raises core.conflicts.Conflict.
    """
    # Compared with the stored row, not with `interaction`: a ModelForm has already copied its values onto that.
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    interaction, _changed = model_update(instance=interaction, fields=INTERACTION_UPDATE_FIELDS, data=data,
                                         expected_version=expected_version)
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
    interaction.delete()
