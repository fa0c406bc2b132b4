"""Writes for imports: the upload, the owner's choices, and the runs (check, import, undo).

A run works through the file in chunks of IMPORT_CHUNK_SIZE rows, one transaction each: the chunk's customers, their
history, tags, the batch's record of what it wrote and its progress are committed together, so a run that dies
(its worker killed) has written whole chunks only, and the next run resumes after the last one. Each chunk first
locks the batch row and checks that the progress is the one this runner left: of two runners, the slower stops.

Rows are decided in file order. A row is rejected when it has a problem (imports.columns), skipped when it is
identical to an earlier row, and otherwise matched, by phone digits or email in any case, against the rows before it
in the file and then against the customers who were here before the import; a match is skipped, filled in (its empty
fields only) or added anyway, as the owner chose once for the whole import.
"""

import dataclasses
import itertools
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import active_users
from core.text import fold
from customers.models import DERIVED_FIELDS, Customer, Tag
from customers.relations import customer_relations
from customers.services import ALWAYS_SET_FIELDS, is_empty

from . import columns, readers
from .models import Duplicates, ImportBatch, ImportedCustomer, ImportFile, ImportRowNote, Phase, Status

log = logging.getLogger(__name__)

REASON_LENGTH = 100  # history_change_reason's max_length
DATE_SAMPLE_ROWS = 2000


class Superseded(Exception):
    """Another runner has taken this batch over (this one was thought dead): stop without writing."""


# ---- Upload and choices ------------------------------------------------------------------------------------------


def detected_date_order(table: readers.Table, mapping: list[str]) -> tuple[str, bool]:
    """(order, ambiguous) of the customer-since column's dates, from the first rows; ("", False) when none is mapped."""
    if "customer_since" not in mapping:
        return "", False
    index = mapping.index("customer_since")
    samples = (row.cells[index] for row in itertools.islice(table.rows(), DATE_SAMPLE_ROWS) if index < len(row.cells))
    order, ambiguous = columns.detect_date_order(samples)
    return order or "", ambiguous


@transaction.atomic
def batch_create(*, filename: str, data: bytes, created_by) -> ImportBatch:
    """Reads the upload (raises readers.ImportFileError with a sentence for the user) and keeps it for the runs."""
    table = readers.open_table(data)
    mapping = columns.guess_mapping(table.header)
    date_order, _ambiguous = detected_date_order(table, mapping)
    batch = ImportBatch.objects.create(
        filename=(filename or "upload")[:255], kind=table.kind, size=len(data), header=table.header,
        sheets=table.sheets, sheet=table.sheet, mapping=mapping, date_order=date_order, created_by=created_by,
    )
    ImportFile.objects.create(batch=batch, data=data)
    return batch


def batch_table(batch: ImportBatch) -> readers.Table:
    data = ImportFile.objects.filter(batch=batch).values_list("data", flat=True).first()
    if data is None:
        raise readers.ImportFileError(_("The file of this import is no longer kept: upload it again."))
    return readers.open_table(bytes(data), sheet=batch.sheet or None)


@transaction.atomic
def batch_choose(*, batch: ImportBatch, sheet: str, mapping: list[str], date_order: str,
                 duplicates: str) -> ImportBatch:
    """Saves the mapping page's choices. Another sheet brings its own columns, matched afresh."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != Status.MAPPING:
        raise ValidationError(_("This import has already started: its choices can no longer change."))
    if duplicates not in Duplicates.values:
        raise ValidationError(_("Choose what to do with duplicates."))
    if sheet and sheet != batch.sheet:
        if sheet not in batch.sheets:
            raise ValidationError(_("This file has no sheet called “%(sheet)s”.") % {"sheet": sheet})
        batch.sheet = sheet
        table = batch_table(batch)  # raises ImportFileError for an empty sheet
        batch.header = table.header
        mapping = columns.guess_mapping(table.header)
        date_order, _ambiguous = detected_date_order(table, mapping)
    elif len(mapping) != len(batch.header):
        raise ValidationError(_("The columns changed: choose them again."))
    batch.mapping = mapping
    batch.date_order = date_order if date_order in {key for key, _label in columns.DATE_ORDERS} else ""
    batch.duplicates = duplicates
    batch.checked = None  # a check was of the choices before
    batch.total_rows = None
    batch.save()
    return batch


# ---- Starting a run ------------------------------------------------------------------------------------------------


@transaction.atomic
def run_start(*, batch: ImportBatch, phase: str) -> ImportBatch:
    """Queues a check or the import (from the mapping page) or the undo (of a finished import)."""
    from .tasks import run  # the task module imports this one

    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if phase in (Phase.DRY_RUN, Phase.IMPORT):
        if batch.status != Status.MAPPING:
            raise ValidationError(_("This import has already run."))
        problems = columns.mapping_problems(batch.mapping)
        if problems:
            raise ValidationError(problems)
    elif phase == Phase.UNDO:
        if batch.status not in (Status.DONE, Status.FAILED) or not batch.records.filter(kept=False).exists():
            raise ValidationError(_("There is nothing of this import left to undo."))
    else:
        raise ValueError(f"Unknown phase {phase!r}")
    batch.status, batch.phase = Status.QUEUED, phase
    batch.done_rows, batch.attempts, batch.error = 0, 0, ""
    if phase != Phase.IMPORT or batch.total_rows is None:
        batch.total_rows = None  # counted by the run
    if phase == Phase.IMPORT:
        batch.started_at = timezone.now()
        batch.created_count = batch.updated_count = batch.skipped_count = batch.rejected_count = 0
    batch.heartbeat_at = timezone.now()  # queued: a worker that never takes it is noticed as a stall too
    batch.save()
    if phase != Phase.UNDO:
        ImportRowNote.objects.filter(batch=batch, dry_run=(phase == Phase.DRY_RUN)).delete()
    run.delay_on_commit(batch.pk)
    return batch


# ---- Running -------------------------------------------------------------------------------------------------------


def _claim(batch_id: int) -> ImportBatch | None:
    """Takes the batch for this runner, unless it is done, or alive in another runner."""
    now = timezone.now()
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status not in (Status.QUEUED, Status.RUNNING):
            return None
        stall = settings.IMPORT_STALL_SECONDS
        alive = batch.heartbeat_at and (now - batch.heartbeat_at).total_seconds() < stall
        if batch.status == Status.RUNNING and alive:
            return None
        if batch.attempts >= settings.IMPORT_MAX_ATTEMPTS:
            _stop(batch, _("The worker stopped %(count)s times while running this; it will not be tried again.")
                  % {"count": batch.attempts})
            return None
        batch.attempts += 1
        batch.status, batch.heartbeat_at = Status.RUNNING, now
        if batch.phase == Phase.DRY_RUN and batch.done_rows:
            batch.done_rows = 0  # a check writes nothing: it starts again
            ImportRowNote.objects.filter(batch=batch, dry_run=True).delete()
        batch.save()
        return batch


def _stop(batch: ImportBatch, message: str) -> None:
    """Ends a run that cannot go on: a check goes back to the choices; an import or undo stops where it got to."""
    batch.error = message
    batch.heartbeat_at = None
    if batch.phase == Phase.DRY_RUN:
        batch.status = Status.MAPPING
    elif batch.phase == Phase.IMPORT:
        batch.status, batch.finished_at = Status.FAILED, timezone.now()
    else:  # an undo that stopped: the import stays as it was, what was undone is undone
        batch.status = Status.DONE if batch.finished_at else Status.FAILED
    batch.phase = Phase.NONE
    batch.save()


def run(batch_id: int) -> None:
    """The task's body: the batch's current phase, from where it got to."""
    batch = _claim(batch_id)
    if batch is None:
        return
    try:
        if batch.phase == Phase.UNDO:
            _undo(batch)
        else:
            _import(batch, dry_run=batch.phase == Phase.DRY_RUN)
    except Superseded:
        log.info("Import %s: taken over by another runner", batch_id)
    except readers.ImportFileError as error:
        with transaction.atomic():
            _stop(ImportBatch.objects.select_for_update().get(pk=batch_id), str(error))
    except Exception:
        log.exception("Import %s failed", batch_id)
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
            _stop(locked, _("Something went wrong after row %(done)s. Every row before it was saved; nothing after.")
                  % {"done": locked.done_rows})


def _lock_progress(batch_id: int, expected_done: int) -> ImportBatch:
    """The batch row, locked, if this runner still owns it: the progress is where this runner left it."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != Status.RUNNING or batch.done_rows != expected_done:
        raise Superseded
    return batch


@dataclasses.dataclass
class Target:
    """What a key (a phone or an email) leads to: a customer who was here before, or a new row of this file."""

    row: int  # the first row of the file that led here
    customer_id: int | None = None  # None: a new customer not written (a check, or not yet)
    existing: bool = False


@dataclasses.dataclass
class Outcome:
    row: readers.Row
    clean: columns.CleanRow | None
    action: str  # "new", "updated", "skipped", "rejected"
    reason: str = ""
    target: Target | None = None


@dataclasses.dataclass
class Counts:
    new: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0

    def add(self, action: str) -> None:
        setattr(self, action, getattr(self, action) + 1)


class Run:
    """One pass through the file: what this pass knows of the rows before the current chunk."""

    def __init__(self, batch: ImportBatch, *, dry_run: bool):
        self.batch = batch
        self.dry_run = dry_run
        self.keys: dict[str, Target] = {}  # "p:<digits>" / "e:<email>" -> target
        self.fingerprints: dict[str, int] = {}  # identical rows: fingerprint -> first row
        self.created: dict[int, int] = {}  # row -> customer id, for the new customers written so far
        self.created_ids: set[int] = set()  # their ids
        self.check_filled: dict[int, set] = {}  # a check's fills of customers, so a second fill is seen as one
        self.counts = Counts()
        self.names: dict[int, str] = {}  # the customers from before that rows matched, for the reasons
        self._team: dict[str, int] | None = None
        self.reason = f"Imported from {batch.filename} (import #{batch.pk})"[:REASON_LENGTH]

    def team_member(self, name: str) -> int | None:
        """The id of the active team member a "looked after by" cell names: full name, username or email."""
        if self._team is None:
            self._team = {}
            for user in active_users():
                for key in (user.get_full_name(), user.username, user.email):
                    if key:
                        self._team.setdefault(fold(key), user.pk)
        return self._team.get(fold(name))

    def clean(self, row: readers.Row) -> columns.CleanRow | None:
        """The row's values as the import writes them; None when the row itself could not be read."""
        if row.problem:
            return None
        clean = columns.clean_row(row.cells, self.batch.mapping, date_order=self.batch.date_order or None)
        name = clean.values.pop("assigned_to", None)
        if name:
            member = self.team_member(name)
            if member is None:
                clean.problems.append(_("Nobody on the team is called “%(name)s”.") % {"name": name})
            else:
                clean.values["assigned_to_id"] = member
        return clean

    # -- deciding --

    @staticmethod
    def row_keys(clean: columns.CleanRow) -> list[str]:
        keys = [f"p:{digits}" for digits in clean.phone_keys if digits]
        if clean.email_key:
            keys.append(f"e:{clean.email_key}")
        return keys

    def decide(self, rows: list[readers.Row], *, lock: bool) -> tuple[list[Outcome], dict[int, Customer]]:
        """Each row's outcome, in file order; the customers they touch (locked when `lock`), by id."""
        cleaned = [(row, self.clean(row)) for row in rows]

        # Who the keys lead to: this file's earlier rows first, then the customers who were here before.
        wanted_ids, unknown_phones, unknown_emails = set(), set(), set()
        for _row, clean in cleaned:
            if clean is None or clean.problems:
                continue
            for key in self.row_keys(clean):
                target = self.keys.get(key)
                if target is None:
                    (unknown_phones if key.startswith("p:") else unknown_emails).add(key[2:])
                elif target.customer_id is not None:
                    wanted_ids.add(target.customer_id)
        found = self.find_existing(unknown_phones, unknown_emails, wanted_ids, lock=lock)
        customers = {customer.pk: customer for customer in found}
        before = {}
        for customer in sorted(found, key=lambda c: c.pk):
            for digits in (customer.phone_digits, customer.alt_phone_digits):
                if digits:
                    before.setdefault(f"p:{digits}", customer)
            if customer.email:
                before.setdefault(f"e:{customer.email.lower()}", customer)

        outcomes = [self.decide_row(row, clean, before) for row, clean in cleaned]
        return outcomes, customers

    def decide_row(self, row: readers.Row, clean, before: dict) -> Outcome:
        if clean is None:
            return Outcome(row, None, "rejected", row.problem)
        if clean.problems:
            return Outcome(row, clean, "rejected", "; ".join(clean.problems))
        first = self.fingerprints.get(clean.fingerprint)
        if first is not None:
            return Outcome(row, clean, "skipped", _("Identical to row %(row)s") % {"row": first})
        self.fingerprints[clean.fingerprint] = row.number

        keys = self.row_keys(clean)
        target = next((self.keys[key] for key in keys if key in self.keys), None)
        if target is None:
            customer = next((before[key] for key in keys if key in before), None)
            if customer is not None:
                target = Target(row=row.number, customer_id=customer.pk, existing=True)
        mode = self.batch.duplicates
        if target is None or mode == Duplicates.ADD:
            new = Target(row=row.number)
            for key in keys:
                self.keys.setdefault(key, new)
            return Outcome(row, clean, "new", target=new)
        for key in keys:
            self.keys.setdefault(key, target)
        if target.existing:
            name = self.names.get(target.customer_id, "")
            same = _("Already a customer: %(name)s (#%(id)s)") % {"name": name, "id": target.customer_id}
        else:
            same = _("The same customer as row %(row)s") % {"row": target.row}
        if mode == Duplicates.SKIP:
            return Outcome(row, clean, "skipped", same, target)
        return Outcome(row, clean, "updated", same, target)  # FILL: settled when the fill is applied

    def find_existing(self, phones: set, emails: set, ids: set, *, lock: bool) -> list[Customer]:
        """The customers who were here before the import with one of these phones or emails, and those by id."""
        query = Q()
        if phones:
            query |= Q(phone_digits__in=phones) | Q(alt_phone_digits__in=phones)
        if emails:
            query |= Q(email_lower__in=emails)
        found = []
        if phones or emails:
            # The customers this import created are found through the file's own rows (self.keys), never here: a
            # resumed run decides as the first one did. Left out in Python: a NOT IN over the import's records
            # makes PostgreSQL scan the whole table when its statistics lag behind the import.
            matches = Customer.objects.alias(email_lower=Lower("email")).filter(query)
            found = sorted((customer for customer in (matches.select_for_update() if lock else matches)
                            if customer.pk not in self.created_ids), key=lambda customer: customer.pk)
        missing = ids - {customer.pk for customer in found}
        if missing:
            by_id = Customer.objects.filter(pk__in=missing).order_by("pk")
            found += list(by_id.select_for_update() if lock else by_id)
        self.names.update((customer.pk, str(customer)) for customer in found)
        return found


def cells_text(cells: Iterable) -> list[str]:
    return ["" if cell is None else cell.isoformat() if hasattr(cell, "isoformat") else str(cell) for cell in cells]


def _fill(customer: Customer, clean: columns.CleanRow, *, already: set) -> list[str]:
    """Sets the customer's empty fields from the row; returns the names of those it filled."""
    filled = []
    for name, value in clean.values.items():
        if name in ALWAYS_SET_FIELDS or name in already:
            continue
        if is_empty(getattr(customer, name)) and not is_empty(value):
            setattr(customer, name, value)
            filled.append(name)
    return filled


def _tags_by_name(names: set[str]) -> dict[str, Tag]:
    """{lower-cased name: Tag}, creating the missing ones."""
    if not names:
        return {}
    lowered = {name.lower(): name for name in names}
    tags = {tag.name.lower(): tag for tag in Tag.objects.annotate(lower=Lower("name")).filter(lower__in=lowered)}
    for lower, name in lowered.items():
        if lower not in tags:
            tags[lower] = Tag.objects.create(name=name)
    return tags


def _import(batch: ImportBatch, *, dry_run: bool) -> None:
    table = batch_table(batch)
    if batch.total_rows is None:
        # Opening a CSV or .xlsx has read it through and counted its rows; a contacts file is counted here.
        total = table.row_count if table.row_count is not None else sum(1 for _row in table.rows())
        ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total)
        batch.total_rows = total
    state = Run(batch, dry_run=dry_run)
    resume_at = 0 if dry_run else batch.done_rows
    if resume_at:
        state.created = dict(batch.records.filter(action=ImportedCustomer.Action.CREATED)
                             .values_list("row_number", "customer_id"))
        state.created_ids = set(state.created.values())
    size = max(1, settings.IMPORT_CHUNK_SIZE)
    rows = table.rows()
    done = 0
    while True:
        # While replaying what an earlier run wrote, chunks end exactly where it stopped.
        count = min(size, resume_at - done) if done < resume_at else size
        chunk = list(itertools.islice(rows, count))
        if not chunk:
            break
        if done < resume_at:
            _replay(state, chunk)
        elif dry_run:
            _check_chunk(state, chunk, done)
        else:
            _write_chunk(state, chunk, done)
        done += len(chunk)
    with transaction.atomic():
        locked = _lock_progress(batch.pk, done)
        locked.phase, locked.heartbeat_at = Phase.NONE, None
        if dry_run:
            locked.status = Status.MAPPING
            locked.checked = dataclasses.asdict(state.counts)
        else:
            locked.status, locked.finished_at = Status.DONE, timezone.now()
            ImportFile.objects.filter(batch=locked).delete()  # no longer needed; an import again is a new upload
        locked.save()


def _replay(state: Run, chunk: list) -> None:
    """Decides rows an earlier run wrote, to learn their keys and ids again; writes nothing."""
    outcomes, _customers = state.decide(chunk, lock=False)
    for outcome in outcomes:
        if outcome.action == "new":
            outcome.target.customer_id = state.created.get(outcome.row.number)


def _notes(batch: ImportBatch, outcomes: list[Outcome], *, dry_run: bool) -> list[ImportRowNote]:
    return [
        ImportRowNote(batch=batch, dry_run=dry_run, kind=outcome.action, row_number=outcome.row.number,
                      reason=outcome.reason, cells=cells_text(outcome.row.cells))
        for outcome in outcomes if outcome.action in ("rejected", "skipped")
    ]


def _check_chunk(state: Run, chunk: list, done: int) -> None:
    """A check: the same decisions as the import, counted and noted, nothing else written."""
    outcomes, customers = state.decide(chunk, lock=False)
    for outcome in outcomes:
        if outcome.action == "updated":
            target = outcome.target
            customer = customers.get(target.customer_id) if target.existing else None
            if customer is None:  # the same as an earlier new row of the file: filled, but counted as one
                outcome.action, outcome.reason = "skipped", _fill_reason(outcome)
            else:
                already = state.check_filled.setdefault(customer.pk, set())
                filled = _fill(customer, outcome.clean, already=already) + _new_tags(customer, outcome.clean, already)
                already.update(filled)
                if not filled:
                    outcome.action, outcome.reason = "skipped", _nothing_new(outcome)
        state.counts.add(outcome.action)
    with transaction.atomic():
        batch = _lock_progress(state.batch.pk, done)
        ImportRowNote.objects.bulk_create(_notes(batch, outcomes, dry_run=True))
        batch.done_rows = done + len(chunk)
        batch.heartbeat_at = timezone.now()
        batch.save(update_fields=["done_rows", "heartbeat_at"])


def _fill_reason(outcome: Outcome) -> str:
    return _("The same customer as row %(row)s: its empty fields were filled from this row") % {
        "row": outcome.target.row}


def _nothing_new(outcome: Outcome) -> str:
    return _("%(same)s, with nothing new to fill in") % {"same": outcome.reason}


def _new_tags(customer: Customer, clean: columns.CleanRow, already: set) -> list[str]:
    """For a check: "tags" when the row brings a tag the customer lacks (read once per customer)."""
    if "tags" in already or not clean.tags:
        return []
    have = {name.lower() for name in customer.tags.values_list("name", flat=True)} if customer.pk else set()
    return ["tags"] if {tag.lower() for tag in clean.tags} - have else []


def _write_chunk(state: Run, chunk: list, done: int) -> None:
    now = timezone.now()
    user = state.batch.created_by
    through = Customer.tags.through
    with transaction.atomic():
        batch = _lock_progress(state.batch.pk, done)
        outcomes, customers = state.decide(chunk, lock=True)
        tags = _tags_by_name({name for outcome in outcomes if outcome.action in ("new", "updated")
                              for name in outcome.clean.tags})
        have_tags: dict[int, set] = {}  # customer id -> tag ids, of the customers written before this chunk
        for customer_id, tag_id in through.objects.filter(customer_id__in=customers).values_list("customer_id",
                                                                                                 "tag_id"):
            have_tags.setdefault(customer_id, set()).add(tag_id)

        new_customers: dict[int, Customer] = {}  # row -> customer to create
        new_tags: dict[int, set] = {}  # row -> tag ids
        filled: dict[int, list] = {}  # customer id -> fields filled (customers written before this chunk)
        added: dict[int, set] = {}  # customer id -> tag ids added
        fill_rows: dict[int, int] = {}  # customer id -> the first row that filled them
        for outcome in outcomes:
            clean = outcome.clean
            if outcome.action == "new":
                new_customers[outcome.row.number] = Customer(**clean.values)
                new_tags[outcome.row.number] = {tags[name.lower()].pk for name in clean.tags}
                continue
            if outcome.action != "updated":
                continue
            target = outcome.target
            if target.customer_id is None:  # a new customer of this chunk, not written yet
                _fill(new_customers[target.row], clean, already=set())
                new_tags[target.row].update(tags[name.lower()].pk for name in clean.tags)
                outcome.action, outcome.reason = "skipped", _fill_reason(outcome)
                continue
            customer = customers[target.customer_id]
            changed = _fill(customer, clean, already=set())
            current = have_tags.setdefault(customer.pk, set())
            more = {tags[name.lower()].pk for name in clean.tags} - current
            current.update(more)
            if changed or more:
                filled.setdefault(customer.pk, []).extend(changed)
                added.setdefault(customer.pk, set()).update(more)
                fill_rows.setdefault(customer.pk, outcome.row.number)
            if not target.existing:
                outcome.action, outcome.reason = "skipped", _fill_reason(outcome)
            elif not (changed or more):
                outcome.action, outcome.reason = "skipped", _nothing_new(outcome)

        # New customers, with their history and tags.
        created = list(new_customers.items())
        for _row, customer in created:
            customer.refresh_derived_fields()
        Customer.objects.bulk_create([customer for _row, customer in created])
        Customer.history.bulk_history_create([customer for _row, customer in created], default_user=user,
                                             default_change_reason=state.reason, default_date=now)
        links = [through(customer_id=customer.pk, tag_id=tag_id) for row, customer in created for tag_id in new_tags[row]]
        records = [ImportedCustomer(batch=batch, customer=customer, row_number=row,
                                    action=ImportedCustomer.Action.CREATED, version_after=customer.version)
                   for row, customer in created]
        for outcome in outcomes:
            if outcome.action == "new":
                outcome.target.customer_id = new_customers[outcome.row.number].pk
                state.created[outcome.row.number] = outcome.target.customer_id
                state.created_ids.add(outcome.target.customer_id)

        # Customers written before this chunk, filled in, with a history entry each.
        changed_customers = [customers[customer_id] for customer_id in filled]
        for customer in changed_customers:
            customer.version += 1
            customer.updated_at = now
            customer.refresh_derived_fields()
            customer._change_reason = (f"Filled in from {batch.filename}, row {fill_rows[customer.pk]} "
                                       f"(import #{batch.pk})")[:REASON_LENGTH]
            links += [through(customer_id=customer.pk, tag_id=tag_id) for tag_id in added[customer.pk]]
        if changed_customers:
            fields = sorted({name for names in filled.values() for name in names})
            Customer.objects.bulk_update(changed_customers, fields + DERIVED_FIELDS + ["version", "updated_at"])
            Customer.history.bulk_history_create(changed_customers, update=True, default_user=user, default_date=now)
        through.objects.bulk_create(links, ignore_conflicts=True)

        # The record of what this import wrote, for the undo.
        known = {record.customer_id: record for record in
                 ImportedCustomer.objects.filter(batch=batch, customer_id__in=filled)}
        for customer in changed_customers:
            record = known.get(customer.pk)
            if record is None:
                records.append(ImportedCustomer(
                    batch=batch, customer=customer, row_number=fill_rows[customer.pk],
                    action=ImportedCustomer.Action.UPDATED, filled=filled[customer.pk],
                    tags_added=sorted(added[customer.pk]), version_after=customer.version))
                continue
            record.version_after = customer.version
            if record.action == ImportedCustomer.Action.UPDATED:
                record.filled = sorted(set(record.filled) | set(filled[customer.pk]))
                record.tags_added = sorted(set(record.tags_added) | added[customer.pk])
            record.save(update_fields=["version_after", "filled", "tags_added"])
        ImportedCustomer.objects.bulk_create(records)
        ImportRowNote.objects.bulk_create(_notes(batch, outcomes, dry_run=False))

        counts = Counts()
        for outcome in outcomes:
            counts.add(outcome.action)
        ImportBatch.objects.filter(pk=batch.pk).update(
            done_rows=done + len(chunk), heartbeat_at=timezone.now(),
            created_count=F("created_count") + counts.new, updated_count=F("updated_count") + counts.updated,
            skipped_count=F("skipped_count") + counts.skipped, rejected_count=F("rejected_count") + counts.rejected,
        )


# ---- Undo ----------------------------------------------------------------------------------------------------------


def _touched_since(customer_ids: list[int], since) -> set[int]:
    """The customers something was logged for since `since`: a row of any app that points at them."""
    touched = set()
    for rel in customer_relations():
        model, attname = rel.related_model, rel.field.attname
        rows = model._base_manager.filter(**{f"{attname}__in": customer_ids})
        if since is not None and any(f.name == "created_at" for f in model._meta.concrete_fields):
            rows = rows.filter(created_at__gte=since)
        touched.update(rows.values_list(attname, flat=True).distinct())
    return touched


def _empty_value(customer: Customer, name: str):
    field = customer._meta.get_field(name)
    return None if field.null else ""


def _undo(batch: ImportBatch) -> None:
    if batch.total_rows is None:
        total = batch.records.filter(kept=False).count()
        ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total)
    size = max(1, settings.IMPORT_CHUNK_SIZE)
    done = batch.done_rows
    while True:
        with transaction.atomic():
            locked = _lock_progress(batch.pk, done)
            records = list(locked.records.filter(kept=False).order_by("pk")[:size])
            if not records:
                break
            _undo_chunk(locked, records)
            done += len(records)
            ImportBatch.objects.filter(pk=batch.pk).update(done_rows=done, heartbeat_at=timezone.now())
    with transaction.atomic():
        locked = _lock_progress(batch.pk, done)
        locked.status, locked.phase, locked.heartbeat_at = Status.UNDONE, Phase.NONE, None
        locked.undone_at = timezone.now()
        locked.save()


def _undo_chunk(batch: ImportBatch, records: list[ImportedCustomer]) -> None:
    now = timezone.now()
    ids = [record.customer_id for record in records]
    customers = Customer.objects.select_for_update().in_bulk(ids)
    touched = _touched_since(ids, batch.started_at)
    remove, restore, kept = [], [], []
    for record in records:
        customer = customers.get(record.customer_id)
        if customer is None:
            continue  # gone meanwhile (deleted, merged): the record went with them
        if customer.version != record.version_after or customer.pk in touched:
            kept.append(record.pk)
        elif record.action == ImportedCustomer.Action.CREATED:
            remove.append(customer.pk)
        else:
            restore.append((record, customer))

    through = Customer.tags.through
    if remove:
        # Never there, as far as anyone can tell: their history goes too. Nothing points at them (checked above,
        # under the lock), so the rows go without Django's per-row delete signals.
        through.objects.filter(customer_id__in=remove).delete()
        ImportedCustomer.objects.filter(customer_id__in=remove).delete()
        Customer.history.filter(id__in=remove).delete()
        Customer.objects.filter(pk__in=remove)._raw_delete(Customer.objects.db)
    if restore:
        reason = f"Import #{batch.pk} ({batch.filename}) undone"[:REASON_LENGTH]
        fields = set()
        for record, customer in restore:
            for name in record.filled:
                setattr(customer, name, _empty_value(customer, name))
                fields.add(name)
            customer.version += 1
            customer.updated_at = now
            customer.refresh_derived_fields()
            customer._change_reason = reason
            through.objects.filter(customer_id=customer.pk, tag_id__in=record.tags_added).delete()
        changed = [customer for _record, customer in restore]
        Customer.objects.bulk_update(changed, sorted(fields) + DERIVED_FIELDS + ["version", "updated_at"])
        Customer.history.bulk_history_create(changed, update=True, default_user=batch.created_by, default_date=now)
        ImportedCustomer.objects.filter(pk__in=[record.pk for record, _customer in restore]).delete()
    if kept:
        ImportedCustomer.objects.filter(pk__in=kept).update(kept=True)
        ImportBatch.objects.filter(pk=batch.pk).update(undo_kept=F("undo_kept") + len(kept))


# ---- Resuming ------------------------------------------------------------------------------------------------------


def stalled_batches() -> list[int]:
    """Runs whose runner has given no sign of life for IMPORT_STALL_SECONDS (or that no worker ever took)."""
    since = timezone.now() - timezone.timedelta(seconds=settings.IMPORT_STALL_SECONDS)
    return list(ImportBatch.objects.filter(
        status__in=(Status.QUEUED, Status.RUNNING), heartbeat_at__lt=since).values_list("pk", flat=True))
