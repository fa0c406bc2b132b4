"""Reads for the import pages: the recent imports, and a preview of the first rows as the import would take them."""

import itertools
from dataclasses import dataclass

from . import columns, services
from .models import ImportBatch, ImportRowNote

PREVIEW_ROWS = 20
RECENT = 20


def recent_batches() -> list[ImportBatch]:
    return list(ImportBatch.objects.select_related("created_by")[:RECENT])


@dataclass
class PreviewRow:
    number: int
    values: list  # a cell per column, as the file has it
    outcome: str  # "new", "updated", "skipped", "rejected"
    reason: str


@dataclass
class Preview:
    rows: list[PreviewRow]
    date_order: str  # detected: "dmy", "mdy", "ymd" or ""
    date_ambiguous: bool


def preview(batch: ImportBatch) -> Preview:
    """The first rows with what the import would do with each (raises readers.ImportFileError)."""
    table = services.batch_table(batch)
    order, ambiguous = services.detected_date_order(table, batch.mapping)
    rows = list(itertools.islice(table.rows(), PREVIEW_ROWS))
    outcomes, _customers = services.Run(batch, dry_run=True).decide(rows, lock=False)
    return Preview(
        rows=[PreviewRow(number=o.row.number, values=services.cells_text(o.row.cells), outcome=o.action,
                         reason=o.reason) for o in outcomes],
        date_order=order, date_ambiguous=ambiguous,
    )


def notes(batch: ImportBatch, *, kind: str, dry_run: bool):
    return ImportRowNote.objects.filter(batch=batch, kind=kind, dry_run=dry_run).order_by("row_number", "id")


def target_labels() -> dict:
    return dict(columns.TARGETS)

