"""Who changed what: django-simple-history's records, read the way a person reads them.

Each app that keeps history of something a customer card shows registers a ``HistorySource`` here from its
``AppConfig.ready()`` (customers for the customer, interactions for interactions and follow-ups); the card's
History section asks every registered source for the customer's latest changes. A change is shown by its
field's verbose name, with choices by their labels, related rows by their name, times in the reader's zone.

Constant queries, whatever the number of records: per source one query for its latest records (with their
authors and the total), one for the records they are compared with; then one per kind of related row
named in the changes (users, customers). ``with_last_edit`` / ``attach_last_editors`` add "edited by … at …"
to a list of rows for one query more.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, OuterRef, Subquery, Window
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

CREATED, CHANGED, DELETED = "+", "~", "-"


@dataclass(frozen=True)
class Change:
    field: str  # the field's verbose name
    old: object  # None when it was empty
    new: object


def display_value(model_field, value):
    """A stored value as a person reads it: labels for choices, yes/no, dates in the reader's zone.

    Related rows are named by the caller (it looks them up once for every record); here they stay ids.
    """
    if value is None or value == "":
        return None
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "D j M Y, H:i")
    if isinstance(value, datetime.date):
        return dateformat.format(value, "D j M Y")
    if hasattr(value, "as_national"):  # a phone number, as the card shows it
        return value.as_national if value.is_valid() else str(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return value


def short_day(moment: datetime.datetime) -> str:
    """A record's day for a sentence ("the interaction of 3 Mar"): the year only when it is not this one."""
    day = timezone.localtime(moment)
    return dateformat.format(day, "j M" if day.year == timezone.localdate().year else "j M Y")


def record_changes(record, previous, *, fields: tuple[str, ...], display: Callable[[str, object], object]) -> list[Change]:
    """What `record` changed since `previous` (the same row's record before it), in the order of `fields`.

    The same as ``record.diff_against(record.prev_record)``, without the query per record for prev_record.
    """
    delta = record.diff_against(previous, included_fields=fields)
    return readable_changes(record.instance_type, delta.changes, fields=fields, display=display)


def readable_changes(model, changes, *, fields: tuple[str, ...], display: Callable[[str, object], object]) -> list[Change]:
    """simple_history's ModelChange list as Change rows, in the order of `fields`."""
    return [
        Change(field=model._meta.get_field(change.field).verbose_name,
               old=display(change.field, change.old), new=display(change.field, change.new))
        for change in sorted(changes, key=lambda change: fields.index(change.field))
    ]


# ---- The customer card's history -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistorySource:
    """Something with history that belongs to a customer.

    `customer_field` names the customer's id on its history records ("id" for the customer itself). `label`
    names one record for a sentence ("the interaction of 3 Mar"); `verb`, when given, may name a change
    better than "changed" ("completed"): it gets the record and simple_history's changes (raw values). The
    `money_fields` are shown to the owner only.
    """

    model: type[models.Model]
    kind: str
    fields: tuple[str, ...]
    label: Callable[[models.Model], str]
    customer_field: str = "customer_id"
    money_fields: frozenset[str] = frozenset()
    verb: Callable[[models.Model, list], str] | None = None


@dataclass
class HistoryItem:
    when: datetime.datetime
    user: object  # None when nobody signed in made it (a command, the customer's own feedback link)
    kind: str
    action: str  # "created", "changed" or "deleted"
    verb: str  # "added", "changed", "deleted", or the source's own word
    label: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def single(self) -> Change | None:
        """The one change of a change of one field ("changed the phone: … → …"), else None."""
        return self.changes[0] if len(self.changes) == 1 else None


@dataclass
class History:
    items: list[HistoryItem]
    total: int  # every record of the customer's, beyond those listed too

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


class HistorySources:
    def __init__(self):
        self._sources: dict[str, tuple[int, HistorySource]] = {}

    def register(self, source: HistorySource, *, order: int = 50) -> None:
        # Keyed by kind so that a second ready() call does not add it twice.
        self._sources[source.kind] = (order, source)

    def sources(self) -> list[HistorySource]:
        return [source for _order, source in sorted(self._sources.values(), key=lambda item: (item[0], item[1].kind))]


customer_history_sources = HistorySources()

VERBS = {CREATED: _("added"), CHANGED: _("changed"), DELETED: _("deleted")}
ACTIONS = {CREATED: "created", CHANGED: "changed", DELETED: "deleted"}


def _history_model(model):
    return model.history.model


def _latest_records(source: HistorySource, customer_id: int, *, with_deletions: bool, limit: int):
    """The latest `limit` records, newest first, each with the id of the record before it and the total."""
    history = _history_model(source.model)
    records = history.objects.filter(**{source.customer_field: customer_id})
    if not with_deletions:
        records = records.exclude(history_type=DELETED)
    before = history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
    return list(
        records.select_related("history_user")
        .annotate(previous_history_id=Subquery(before.values("history_id")[:1]),
                  total=Window(Count("history_id")))
        .order_by("-history_date", "-history_id")[:limit]
    )


def related_names(wanted: Mapping[type[models.Model], set]) -> dict[type[models.Model], dict]:
    """{model: {pk: str(row)}} for the rows named by id in some changes: one query per model."""
    return {
        model: {row.pk: str(row) for row in model._base_manager.filter(pk__in=ids)}
        for model, ids in wanted.items() if ids
    }


def customer_history(*, customer_id: int, user, limit: int = 10) -> History:
    """The latest changes to a customer and everything registered as theirs, newest first.

    The owner sees deletions and money; anyone else sees neither (a change of money only is left out).
    Records saved without a visible change are left out too, so a page may list fewer than `limit`.
    """
    is_owner = bool(getattr(user, "is_owner", False))
    fetched, total = [], 0
    for source in customer_history_sources.sources():
        records = _latest_records(source, customer_id, with_deletions=is_owner, limit=limit)
        total += records[0].total if records else 0
        fetched.append((source, records))

    previous_by_kind = {}
    for source, records in fetched:
        ids = [r.previous_history_id for r in records if r.history_type == CHANGED and r.previous_history_id]
        previous_by_kind[source.kind] = _history_model(source.model).objects.in_bulk(ids) if ids else {}

    # First the raw changes (related rows as ids), then every related row named, once.
    raw, wanted = [], defaultdict(set)
    for source, records in fetched:
        shown = tuple(name for name in source.fields if is_owner or name not in source.money_fields)
        for record in records:
            previous = previous_by_kind[source.kind].get(record.previous_history_id)
            delta = []
            if record.history_type == CHANGED and previous is not None:
                delta = record.diff_against(previous, included_fields=shown).changes
                if not delta:
                    continue  # saved without a visible change, or a change this reader may not see
                for change in delta:
                    model_field = source.model._meta.get_field(change.field)
                    if model_field.is_relation:
                        wanted[model_field.related_model].update(v for v in (change.old, change.new) if v)
            raw.append((source, record, shown, delta))
    names = related_names(wanted)

    items = []
    for source, record, shown, delta in raw:
        def display(name, value, source=source):
            model_field = source.model._meta.get_field(name)
            if model_field.is_relation:
                return names.get(model_field.related_model, {}).get(value, _("a removed one")) if value else None
            return display_value(model_field, value)

        # A time saved again to the second by a form is no change a person would see.
        changes = [c for c in readable_changes(source.model, delta, fields=shown, display=display) if c.old != c.new]
        if delta and not changes:
            continue
        verb = VERBS[record.history_type]
        if source.verb and delta:
            verb = source.verb(record, delta) or verb
        items.append(HistoryItem(
            when=record.history_date, user=record.history_user, kind=source.kind,
            action=ACTIONS[record.history_type], verb=verb, label=source.label(record),
            reason=record.history_change_reason or "", changes=changes,
        ))
    items.sort(key=lambda item: item.when, reverse=True)
    return History(items=items[:limit], total=total)


# ---- "edited by … at …" on a list of rows ---------------------------------------------------------------------


def with_last_edit(queryset: models.QuerySet) -> models.QuerySet:
    """Annotates each row with its latest change after it was created: last_edit_at and last_edit_by_id (both
    None when it was never changed). Subqueries in the same query: no query more."""
    edits = (
        _history_model(queryset.model).objects.filter(id=OuterRef("pk"), history_type=CHANGED)
        .order_by("-history_date", "-history_id")
    )
    return queryset.annotate(
        last_edit_at=Subquery(edits.values("history_date")[:1]),
        last_edit_by_id=Subquery(edits.values("history_user_id")[:1]),
    )


def attach_last_editors(rows: Iterable[models.Model]) -> list[models.Model]:
    """Sets `last_edit_by` (a user or None) on rows annotated by with_last_edit: one query, none when no row
    was edited by someone."""
    rows = list(rows)
    ids = {row.last_edit_by_id for row in rows if getattr(row, "last_edit_by_id", None)}
    users = {}
    if ids:
        user_model = _history_model(type(rows[0]))._meta.get_field("history_user").related_model
        users = user_model._base_manager.in_bulk(ids)
    for row in rows:
        row.last_edit_by = users.get(getattr(row, "last_edit_by_id", None))
    return rows
