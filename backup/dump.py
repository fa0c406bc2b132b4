"""A backup as a .zip made while it is sent: one CSV per table and a manifest.json that says what is in it.

zipfile writes into a pipe that nothing can seek (each file's sizes follow its data), and the generator hands out
what the pipe holds every CHUNK_ROWS rows: a download starts at once, and memory holds one chunk of rows,
whatever the size of the database. The command export_backup writes the same bytes to a file.
"""

import csv
import io
import json
import os
import subprocess
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.template.loader import render_to_string
from django.utils import timezone

from core.business import business_name
from core.spreadsheets import FORMULA_STARTS

from . import codec, scope
from .selectors import customer_rows
from .sequences import last_ids

FORMAT = 1
CHUNK_ROWS = 2000
# A row of a table with a binary column may hold an uploaded file of many megabytes: read those one at a time.
BINARY_CHUNK_ROWS = 1
MANIFEST = "manifest.json"


class _Pipe:
    """A file that only takes writes: zipfile writes into it, the generator empties it."""

    def __init__(self):
        self._chunks = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


@contextmanager
def consistent_reads(using: str = DEFAULT_DB_ALIAS):
    """Every table read as of one moment, so that no row points at a row written after its table was read."""
    connection = connections[using]
    if connection.in_atomic_block:  # the caller's transaction (a test): it decides
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django begins SQLite transactions IMMEDIATE (settings: a write lock at once), which would stop every
        # write for as long as a download lasts. A plain BEGIN reads one snapshot (WAL) and blocks nobody.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic(using=using):
            yield


def app_version() -> str:
    """`git describe` of the code that made the backup when it runs from a git checkout, else ""."""
    try:
        described = subprocess.run(
            ["git", "describe", "--tags", "--always"], cwd=settings.BASE_DIR, capture_output=True, text=True,
            timeout=5, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return described.stdout.strip() if described.returncode == 0 else ""


def latest_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """{app label: the last migration applied to the database}, for every app of this code."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    by_app = {}
    for key in loader.applied_migrations:
        if key in loader.graph.nodes:
            by_app.setdefault(key[0], []).append(key)
    # Within an app, a later migration has every earlier one in its plan: the longest plan is the last.
    return {app: max(keys, key=lambda key: len(loader.graph.forwards_plan(key)))[1]
            for app, keys in sorted(by_app.items())}


def code_migrations() -> dict[str, str]:
    """{app label: the last migration of this code} (several leaves of one app are joined with "+")."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = {}
    for app, name in sorted(loader.graph.leaf_nodes()):
        leaves[app] = f"{leaves[app]}+{name}" if app in leaves else name
    return leaves


def _rows(queryset, fields, *, guard: bool) -> Iterator[list[str]]:
    encoders = [codec.encoder(field) for field in fields]
    if guard:
        encoders = [_spreadsheet_safe(encode) if field.get_internal_type() in codec.TEXT_TYPES else encode
                    for field, encode in zip(fields, encoders, strict=True)]
    binary = any(field.get_internal_type() == "BinaryField" for field in fields)
    values = queryset.values_list(*[codec.read_column(field) for field in fields])
    for row in values.iterator(chunk_size=BINARY_CHUNK_ROWS if binary else CHUNK_ROWS):
        yield [encode(value) for encode, value in zip(encoders, row, strict=True)]


def _spreadsheet_safe(encode):
    """A text a spreadsheet would run as a formula gets an apostrophe in front (files meant for people)."""
    def safe(value):
        cell = encode(value)
        return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
    return safe


def _write_csv(archive, pipe, name: str, header: list[str], rows: Iterable[list[str]]):
    """Writes one CSV into the archive, yielding what the pipe holds every CHUNK_ROWS rows; returns the count."""
    count = 0
    entry = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(entry, "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(header)
        # The file's header is out before its first row is read: the download starts at once.
        if chunk := pipe.take():
            yield chunk
        for count, row in enumerate(rows, start=1):
            writer.writerow(row)
            if count % CHUNK_ROWS == 0:
                text.flush()
                if chunk := pipe.take():
                    yield chunk
        text.flush()
        text.detach()  # the with block closes the entry itself
    return count


def _archive(tables: Iterable[tuple], *, manifest: dict, extra_files: dict, guard: bool = False,
             last_ids: dict | None = None) -> Iterator[bytes]:
    """The zip of `tables` ((model, queryset, fields) in order), then the manifest and `extra_files`.

    last_ids: {model: the last id its table handed out} (sequences.last_ids), noted in the manifest.
    """
    pipe = _Pipe()
    manifest = {**manifest, "encoding": codec.ENCODING, "models": {}}
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model, queryset, fields in tables:
            name = f"{scope.label(model)}.csv"
            header = [field.attname for field in fields]
            count = yield from _write_csv(archive, pipe, name, header, _rows(queryset, fields, guard=guard))
            manifest["models"][scope.label(model)] = {"file": name, "count": count, "fields": header,
                                                      "last_id": (last_ids or {}).get(model)}
        for name, content in {**extra_files, MANIFEST: json.dumps(manifest, indent=2, ensure_ascii=False)}.items():
            archive.writestr(name, content)
    yield pipe.take()


def _header(using: str = DEFAULT_DB_ALIAS) -> dict:
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "django": django.get_version(),
        "app": app_version(),
        "migrations": latest_migrations(using),
    }


def backup_stream(using: str = DEFAULT_DB_ALIAS) -> Iterator[bytes]:
    """The whole backup, a chunk at a time: every backed-up table (scope.py), read as of one moment."""
    with consistent_reads(using):
        models = scope.backed_up_models()
        last = last_ids(connections[using], models)
        tables = ((model, model._base_manager.using(using).order_by("pk"), scope.columns(model)) for model in models)
        yield from _archive(tables, manifest=_header(using), extra_files={}, last_ids=last)


def customer_data_stream(customer) -> Iterator[bytes]:
    """Everything about one customer (selectors.customer_rows), with a README.txt for the person who reads it.

    Meant for people: a text a spreadsheet would run as a formula starts with an apostrophe.
    """
    with consistent_reads():
        rows = customer_rows(customer)
        files = [{"file": f"{scope.label(model)}.csv", "name": model._meta.verbose_name_plural,
                  "count": queryset.count()} for model, queryset in rows.items()]
        readme = render_to_string("backup/customer_data_readme.txt", {
            "customer": customer, "files": files, "created_at": timezone.now(), "business_name": business_name(),
        })
        tables = ((model, queryset, scope.columns(model)) for model, queryset in rows.items())
        manifest = {**_header(), "customer": customer.pk}
        yield from _archive(tables, manifest=manifest, extra_files={"README.txt": readme}, guard=True)
