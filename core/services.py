"""Write helpers every app's services share."""

from django.db import models, transaction

from .conflicts import UNCHECKED, bump_version, check_version


def model_update(*, instance: models.Model, fields: list[str], data: dict, clean: bool = True,
                 expected_version=UNCHECKED) -> tuple[models.Model, bool]:
    """Sets the allowed `fields` found in `data` on `instance` and saves only what changed.

    Returns (instance, changed). A key in `data` that is not in `fields` is a programming error, not
    something to ignore: it raises ValueError. `updated_at` (auto_now) is saved along when present, and a
    `version` is bumped by every save.

    With `expected_version` (what an edit form was opened with; None when it did not say), `instance` must have
    been read with select_for_update: a different version raises core.conflicts.Conflict and nothing is saved,
    even when the values sent are the stored ones, so a stale form never goes through unseen.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"{type(instance).__name__} cannot be updated with {sorted(unknown)}")
    check_version(instance, expected_version)
    changed_fields = []
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        value = data[name]
        if field.is_relation:
            # Compare ids: reading the related object to compare would cost a query per field.
            current, new = getattr(instance, field.attname), (value.pk if isinstance(value, models.Model) else value)
        else:
            current, new = getattr(instance, name), value
        if current != new:
            setattr(instance, name if field.is_relation and isinstance(value, models.Model) else field.attname, value)
            changed_fields.append(name)
    if not changed_fields:
        return instance, False
    if clean:
        instance.full_clean()
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        changed_fields.append("updated_at")
    changed_fields += bump_version(instance)
    instance.save(update_fields=changed_fields)
    return instance, True


BUSINESS_SETTINGS_FIELDS = ["business_name", "hourly_cost", "default_cadence_days", "time_zone", "working_days"]


def business_settings_update(*, row, data: dict):
    """Saves the owner's changes to the business settings."""
    with transaction.atomic():
        return model_update(instance=row, fields=BUSINESS_SETTINGS_FIELDS, data=data)
