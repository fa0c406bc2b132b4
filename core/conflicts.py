"""Edit conflicts: a save from a form opened before someone else's save is refused, never applied silently.

A versioned row (customer, interaction, follow-up, plan step) has a `version` that every save through the
services bumps. Its edit form carries the version it was opened with (`VersionedFormMixin`, a hidden field);
the update service passes it to `core.services.model_update`, which compares it with the locked row and raises
`Conflict` when they differ. The view then shows the form again with everything the user typed, and
`explain_conflict` puts beside each field where the saved row now differs from the form who changed it, when,
and to what. Sending the form again ("Keep mine") carries the newer version, so it saves: the user's values win
only after they have seen the differences.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

VERSION_FIELD = "version"
# model_update's default: the caller does not compare versions (a command, a data fix, a quick action).
UNCHECKED = object()
# Beyond this many saves since the form was opened, who changed which field is not looked up field by field.
MAX_RECORDS_READ = 20


class Conflict(Exception):
    """The row was saved by someone else since the form was opened (or the form did not say when it was)."""

    def __init__(self, current: models.Model, expected_version: int | None):
        super().__init__(f"{type(current).__name__} {current.pk} is at version {current.version}, "
                         f"the form was opened at {expected_version}")
        self.current = current  # the stored row, as read (locked) by the refused save
        self.expected_version = expected_version


def check_version(instance: models.Model, expected_version) -> None:
    """Raises Conflict unless `expected_version` is the row's version (UNCHECKED: no check)."""
    if expected_version is not UNCHECKED and expected_version != instance.version:
        raise Conflict(instance, expected_version)


def has_version(instance: models.Model) -> bool:
    return any(f.name == VERSION_FIELD for f in instance._meta.concrete_fields)


def bump_version(instance: models.Model) -> list[str]:
    """Counts one more save on `instance` (read under select_for_update by the caller); returns the field to save."""
    if not has_version(instance):
        return []
    instance.version += 1
    return [VERSION_FIELD]


def parse_version(value) -> int | None:
    text = str(value or "").strip()
    # A version is a small positive whole number; anything else is "no version" (refused as a conflict).
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    return int(text)


class VersionedFormMixin:
    """An edit form that carries the version of the row it was opened with, as a hidden field.

    Put it before the ModelForm class. After is_valid(), `expected_version` is the version sent back, or None
    when the form came without one (an old page, a hand-made request): the service refuses that as a conflict.
    A form for a new row has no version field. The form's helper needs `render_hidden_fields = True`.
    """

    expected_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[VERSION_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.initial[VERSION_FIELD] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if VERSION_FIELD in self.fields:
            # Not a model field for the form: it goes to the service as expected_version, never into the row.
            self.expected_version = parse_version(cleaned.pop(VERSION_FIELD, None))
        return cleaned


# ---- Showing a conflict ----------------------------------------------------------------------------------------


@dataclass
class FieldConflict:
    name: str
    label: str
    theirs: str
    mine: str
    changed_by: object = None  # a user, or None when the history does not say (or it is not someone else's change)
    changed_at: datetime.datetime | None = None


@dataclass
class ConflictView:
    """What a conflict block shows (templates/core/_conflict.html)."""

    missing_version: bool  # the form did not say which version it was opened with
    fields: list[FieldConflict] = field(default_factory=list)
    changed_by: object = None  # who saved last since the form was opened (None: not known)
    changed_at: datetime.datetime | None = None
    others: int = 0  # further saves since the form was opened, by anyone

    @property
    def field_names(self) -> set[str]:
        return {f.name for f in self.fields}

    @property
    def when(self) -> str:
        return _when(self.changed_at) if self.changed_at else ""


def _is_empty(value) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple, set, frozenset)) and not value)


def _key(value):
    """What two values are compared by: ids for rows, minutes for times, one empty for every kind of empty."""
    if _is_empty(value):
        return None
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple, set, frozenset)):
        keys = frozenset(_key(item) for item in value)
        return keys or None
    if isinstance(value, datetime.datetime):
        # A form shows and sends times to the minute: seconds stored by a phone are no change anyone made.
        return value.replace(second=0, microsecond=0)
    if hasattr(value, "as_e164"):
        return value.as_e164 if value.is_valid() else str(value)
    return value


def display(form: forms.BaseForm, name: str, value) -> str:
    """A value as the person reads it in the form: labels for choices, names for rows, dates in their zone."""
    if _is_empty(value) or (isinstance(value, models.QuerySet) and not value.exists()):
        return _("(empty)")
    if isinstance(value, (models.QuerySet, list, tuple, set, frozenset)):
        return ", ".join(sorted(str(item) for item in value))
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    model_field = form._meta.model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "D j M Y, H:i")
    if isinstance(value, datetime.date):
        return dateformat.format(value, "D j M Y")
    if hasattr(value, "as_national"):
        return value.as_national if value.is_valid() else str(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(form.fields[name].prepare_value(value))


def _stored_value(current: models.Model, model_field):
    if model_field.many_to_many:
        return list(getattr(current, model_field.name).all())
    return getattr(current, model_field.name)


def _who_changed_what(current: models.Model, expected_version: int | None, names: list[str]):
    """From the row's history: {field name: (user, when)} for the fields changed since `expected_version`, and
    the saves since then (newest first).

    Each save through the services writes one history record and adds one to the version, so the records after
    the one the form was opened on are the newest `current.version - expected_version`. A save that bypassed the
    services would shift this by one; the names beside the fields would then be off, never the refusal itself.
    """
    history = getattr(type(current), "history", None)
    if history is None:
        return {}, []
    since = current.version - expected_version if expected_version is not None else 0
    if not 0 < since <= MAX_RECORDS_READ:
        latest = list(history.filter(id=current.pk).select_related("history_user").order_by("-history_id")[:1])
        return {}, latest
    records = list(history.filter(id=current.pk).select_related("history_user").order_by("-history_id")[:since + 1])
    tracked = {f.name: f.attname for f in records[0]._meta.fields} if records else {}
    attnames = {name: tracked[name] for name in names if name in tracked}
    changed = {}
    for newer, older in zip(records, records[1:], strict=False):
        for name, attname in attnames.items():
            if name not in changed and getattr(newer, attname) != getattr(older, attname):
                changed[name] = (newer.history_user, newer.history_date)
    return changed, records[:since]


def explain_conflict(form: forms.BaseModelForm, conflict: Conflict) -> ConflictView:
    """Readies `form` (bound, valid, refused with `conflict`) to be shown again.

    The form keeps everything typed but now carries the stored version, so sending it again saves ("Keep mine").
    Each field where the stored row differs from what was sent gets, under it, the stored value and, when the
    history says so, who changed it and when. Also set as `form.conflict`, for forms that fold fields away.
    """
    current = conflict.current
    model = type(current)
    names = [name for name in form.fields if name != VERSION_FIELD and name in form._meta.fields
             and any(f.name == name for f in model._meta.get_fields())]
    differing = []
    for name in names:
        model_field = model._meta.get_field(name)
        mine = form.cleaned_data.get(name)
        if model_field.is_relation and not model_field.many_to_many:
            # Compared by id first: the stored related row is read only when it differs.
            if _key(getattr(current, model_field.attname)) == _key(mine):
                continue
            differing.append((name, _stored_value(current, model_field), mine))
            continue
        theirs = _stored_value(current, model_field)
        if _key(theirs) != _key(mine):
            differing.append((name, theirs, mine))

    changed, records = _who_changed_what(current, conflict.expected_version, [name for name, _t, _m in differing])
    view = ConflictView(missing_version=conflict.expected_version is None)
    if records:
        view.changed_by, view.changed_at, view.others = records[0].history_user, records[0].history_date, len(records) - 1
    for name, theirs, mine in differing:
        by, at = changed.get(name, (None, None))
        item = FieldConflict(name=name, label=str(form.fields[name].label or name), theirs=display(form, name, theirs),
                             mine=display(form, name, mine), changed_by=by, changed_at=at)
        view.fields.append(item)
        note = (
            format_html(_("Changed by {} at {}: {}"), by or _("someone"), _when(at), item.theirs) if at
            else format_html(_("Saved now: {}"), item.theirs)
        )
        original = form.fields[name].help_text
        help_text = format_html('<span class="conflict-theirs fw-semibold text-warning-emphasis">{}</span>{}',
                                note, format_html("<br>{}", original) if original else "")
        # Both: the bound field copied the help text when validation created it.
        form.fields[name].help_text = form[name].help_text = help_text

    data = form.data.copy()
    data[form.add_prefix(VERSION_FIELD)] = str(current.version)
    form.data = data
    form.conflict = view
    return view


def _when(moment: datetime.datetime) -> str:
    """"10:42" today, "3 Mar, 10:42" another day, in the reader's zone."""
    local = timezone.localtime(moment)
    return dateformat.format(local, "H:i" if local.date() == timezone.localdate() else "j M, H:i")
