"""Merging two customers into one: every row of theirs moves to the one kept, and the history says so."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from customers.models import Customer
from customers.services import ALWAYS_SET_FIELDS, CUSTOMER_UPDATE_FIELDS, is_empty

from .relations import customer_relations, rows_of

# history_change_reason is a CharField(max_length=100) on every historical model.
REASON_LENGTH = 100


@dataclass(frozen=True)
class Merged:
    customer: Customer
    moved: dict  # {"app.model.field": rows re-pointed}
    filled: list  # names of the kept customer's fields filled from the duplicate


def fields_to_fill(*, keep: Customer, other: Customer) -> list[str]:
    """The kept customer's empty fields that the duplicate has a value for; a filled field is never overwritten."""
    names = []
    for name in CUSTOMER_UPDATE_FIELDS:
        if name in ALWAYS_SET_FIELDS:
            continue
        attname = keep._meta.get_field(name).attname
        mine, theirs = getattr(keep, attname), getattr(other, attname)
        if name == "referred_by" and theirs == keep.pk:
            continue  # the kept customer cannot refer themselves
        if name == "referred_by" and mine == other.pk:
            mine = None  # referred by the duplicate: cleared by the merge, so it is empty then
        if is_empty(mine) and not is_empty(theirs):
            names.append(name)
    return names


def _reason(text: str) -> str:
    return text[:REASON_LENGTH]


def _move(rel, *, keep: Customer, other: Customer, reason: str, merged_by, now) -> int:
    """Re-points one relation's rows from `other` to `keep`, with a history entry on each row that keeps one."""
    model, field = rel.related_model, rel.field
    rows = rows_of(rel, other.pk)
    if model is Customer:
        # The kept customer was referred by the duplicate: after the merge that would be themselves.
        rows.filter(pk=keep.pk).update(referred_by=None)
        rows = rows.exclude(pk=keep.pk)
    history = getattr(model, "history", None)
    if history is None:
        return rows.update(**{field.attname: keep.pk})
    locked = list(rows.select_for_update().annotate(has_history=Exists(history.filter(id=OuterRef("pk"))))
                  .order_by("pk"))
    if not locked:
        return 0
    untracked = [row for row in locked if not row.has_history]
    if untracked:
        # A row made before history was kept first gets its state as it was, so its history shows the move.
        history.bulk_history_create(untracked, update=True, default_date=now,
                                    default_change_reason=_reason("As it was before the merge"))
    changes = {field.attname: keep.pk}
    concrete = {f.name for f in model._meta.concrete_fields}
    if "version" in concrete:
        # An edit form opened before the merge must notice that the row moved.
        changes["version"] = F("version") + 1
    if "updated_at" in concrete:
        changes["updated_at"] = now
    model._base_manager.filter(pk__in=[row.pk for row in locked]).update(**changes)
    for row in locked:
        setattr(row, field.attname, keep.pk)
        if "updated_at" in concrete:
            row.updated_at = now
    history.bulk_history_create(locked, update=True, default_user=merged_by, default_change_reason=reason,
                                default_date=now)
    return len(locked)


@transaction.atomic
def customer_merge(*, keep: Customer, other: Customer, merged_by) -> Merged:
    """Moves everything of `other` to `keep` and deletes `other`.

    `keep` is the one the owner chose: its own values stay, and only its empty fields are filled from `other`.
    Everything that pointed at `other` (interactions, follow-ups, feedback and its requests, plans, the customers
    they referred) points at `keep` afterwards, each moved row with a history entry; the tags are united.
    """
    if keep.pk == other.pk:
        raise ValidationError("A customer cannot be merged with themselves.")
    locked = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])}
    if len(locked) != 2:
        raise ValidationError("One of the two customers no longer exists.")
    keep, other = locked[keep.pk], locked[other.pk]
    now = timezone.now()
    other_name = str(other)

    moved = {}
    for rel in customer_relations():
        count = _move(rel, keep=keep, other=other, reason=_reason(f"Merged from {other_name}"),
                      merged_by=merged_by, now=now)
        if count:
            moved[f"{rel.related_model._meta.label_lower}.{rel.field.name}"] = count
    keep.refresh_from_db()  # the referral move may have cleared keep.referred_by

    keep.tags.add(*other.tags.all())
    filled = fields_to_fill(keep=keep, other=other)
    for name in filled:
        attname = keep._meta.get_field(name).attname
        setattr(keep, attname, getattr(other, attname))
    keep.full_clean(exclude=[f.name for f in keep._meta.fields if f.name not in filled], validate_unique=False,
                    validate_constraints=False)
    keep.version += 1
    keep._change_reason = _reason(f"Merged with {other_name} (#{other.pk})")
    keep._history_user = merged_by
    keep.save()

    left = [rel for rel in customer_relations() if rows_of(rel, other.pk).exists()]
    if left:
        # A delete would cascade to them: refuse (and roll back) rather than lose a row.
        raise ValidationError(f"Rows still point at {other_name}: {', '.join(str(rel) for rel in left)}")
    other._change_reason = _reason(f"Merged into {keep} (#{keep.pk})")
    other._history_user = merged_by
    other.delete()
    return Merged(customer=keep, moved=moved, filled=filled)
