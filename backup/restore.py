"""A backup put back into a new, empty database: every row with its id, history included, in one transaction.

Refused, with the reason, when the file is no backup, was made by another version of the code, or the database
holds data already. Rows go straight into the tables (PostgreSQL's COPY, or INSERTs in batches elsewhere), not
through bulk_create: it would stamp every "created" and "updated" column with today (auto_now), and no model's
save or signal runs, so the history is the backup's own rather than one made by the restore. Foreign keys are
checked at commit on PostgreSQL and SQLite alike, so a customer referred by a customer further down the file, or
two tables that point at each other, go in as they are.
"""

import csv
import io
import itertools
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.business import business_name

from . import codec, scope
from .dump import FORMAT, MANIFEST, code_migrations, latest_migrations
from .selectors import history_model, parents_first
from .sequences import counters_restore

BATCH_ROWS = 2000
MAX_NAMED = 6  # tables named when a database is not empty
# Cells hold whole JSON documents (a trashed customer) and uploaded files in base64: far above csv's default limit.
CSV_FIELD_LIMIT = 2**31 - 1

# The columns a backup leaves out, and what the restore puts there: a password nobody knows (an unusable one),
# different for each user, so the "set your password" link is the way in.
FILLED = {"password": lambda: make_password(None)}


class RestoreRefused(Exception):
    """The backup cannot be restored here; the message says why, for the person running the command."""


@dataclass
class Restored:
    counts: dict[str, int] = field(default_factory=dict)  # rows written, by model label
    created: dict[str, int] = field(default_factory=dict)  # matched rows the new database lacked (scope.MATCHED)


def restore_backup(file, *, using: str = DEFAULT_DB_ALIAS, copy: bool | None = None, progress=None) -> Restored:
    """Restores the backup in `file` (a path or a binary file) into the database `using`, which must be empty.

    copy: PostgreSQL's COPY (None: wherever the database is PostgreSQL), else INSERTs in batches.
    progress(label, rows) is called after each table. Raises RestoreRefused; nothing is written then.
    """
    connection = connections[using]
    write = _copy_rows if (connection.vendor == "postgresql" if copy is None else copy) else _insert_rows
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as error:
        raise RestoreRefused(_("This file is not a backup: it cannot be read as a .zip.")) from error
    except OSError as error:
        raise RestoreRefused(_("The backup cannot be opened: %(error)s") % {"error": error}) from error
    with archive:
        manifest = read_manifest(archive)
        check_compatible(manifest, using=using)
        result = Restored()
        try:
            with transaction.atomic(using=using):
                check_empty(using=using)
                ids = _match(archive, manifest, using, result)
                for model in parents_first(scope.restored_models()):
                    label = scope.label(model)
                    if label in scope.REPLACED:
                        _delete_all(connection, model)
                    entry = manifest["models"][label]
                    try:
                        result.counts[label] = _restore_table(connection, archive, entry, model, ids, write)
                    except (ValueError, KeyError, zipfile.BadZipFile) as error:
                        raise RestoreRefused(_("%(file)s cannot be read (%(error)s). Nothing was restored.")
                                             % {"file": entry["file"], "error": error}) from error
                    if progress:
                        progress(label, result.counts[label])
                counters_restore(connection, scope.backed_up_models(), _last_ids(manifest))
                _check_counts(manifest, using)
        except DatabaseError as error:  # a row the database refuses, or keys that lead nowhere (checked at commit)
            raise RestoreRefused(_("The database refused the backup's rows (%(error)s). Nothing was restored.")
                                 % {"error": str(error).strip()}) from error
    return result


def _last_ids(manifest: dict) -> dict:
    """{model: the last id its table had handed out when the backup was made} (sequences.py)."""
    last = {}
    for model in scope.backed_up_models():
        value = manifest["models"][scope.label(model)].get("last_id")
        if value:
            last[model] = value
    return last


# Checks

def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise RestoreRefused(_("This .zip is not a backup: it has no %(name)s.") % {"name": MANIFEST}) from None
    except ValueError as error:
        raise RestoreRefused(_("The backup's %(name)s cannot be read (%(error)s).")
                             % {"name": MANIFEST, "error": error}) from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("models"), dict):
        raise RestoreRefused(_("The backup's %(name)s lists no tables.") % {"name": MANIFEST})
    return manifest


def check_compatible(manifest: dict, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """The backup was made by this version of the code, and the database is migrated to it."""
    made_by = manifest.get("app") or _("an unknown version")
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(
            _("This backup is in format %(theirs)s, and this version of ServiceCRM reads format %(ours)s. Restore "
              "it with the version that made it (%(app)s).")
            % {"theirs": manifest.get("format"), "ours": FORMAT, "app": made_by})
    tables = {scope.label(model): [f.attname for f in scope.columns(model)] for model in scope.backed_up_models()}
    app_labels = sorted({label.split(".")[0] for label in tables})
    code, here = code_migrations(), latest_migrations(using)
    behind = [f"{app} {here.get(app, '—')}" for app in app_labels if here.get(app) != code.get(app)]
    if behind:
        raise RestoreRefused(
            _("This database is not migrated to this version of the code (%(apps)s). Run `manage.py migrate` "
              "first, then restore.") % {"apps": ", ".join(behind)})
    theirs = manifest.get("migrations") or {}
    different = [f"{app}: {theirs.get(app, '—')} / {code.get(app)}" for app in app_labels
                 if theirs.get(app) != code.get(app)]
    listed = {label: entry.get("fields") for label, entry in manifest["models"].items()}
    if different or listed != tables:
        details = ", ".join(different) or ", ".join(sorted(set(listed) ^ set(tables))) or _("the columns differ")
        raise RestoreRefused(
            _("This backup was made by another version of ServiceCRM (%(app)s), whose tables differ from this "
              "one's (backup / this code: %(details)s). Restore it with the version that made it, then upgrade.")
            % {"app": made_by, "details": details})


def check_empty(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """No row of the business's yet: a restore never mixes two databases."""
    found = []
    for model in scope.restored_models():
        if scope.label(model) in scope.REPLACED:
            continue  # migrations fill them; the backup's rows replace theirs
        count = model._base_manager.using(using).count()
        if count:
            found.append((model, count))
    if found:
        # Named by what people know (customers, users), not by their history or link tables, when there are any.
        histories = {history_model(model) for model, _count in found}
        shown = [(model, count) for model, count in found if not model._meta.auto_created and model not in histories]
        names = [f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
                 for model, count in (shown or found)]
        raise RestoreRefused(
            _("This database already holds data (%(found)s). A backup is restored only into a new, empty "
              "database: create one, run `manage.py migrate` on it, and restore there.")
            % {"found": ", ".join(names[:MAX_NAMED]) + (", …" if len(names) > MAX_NAMED else "")})


def _check_counts(manifest: dict, using: str) -> None:
    for model in scope.restored_models():
        expected = manifest["models"][scope.label(model)]["count"]
        actual = model._base_manager.using(using).count()
        if actual != expected:
            raise RestoreRefused(
                _("%(model)s: %(actual)s rows written where the backup holds %(expected)s. Nothing was restored.")
                % {"model": scope.label(model), "actual": actual, "expected": expected})


# Reading

def _csv_rows(archive: zipfile.ZipFile, entry: dict) -> Iterator[list[str]]:
    """The rows of one of the backup's CSV files, after its header is checked against the manifest."""
    try:
        raw = archive.open(entry["file"])
    except KeyError:
        raise RestoreRefused(_("The backup lacks the file %(file)s.") % {"file": entry["file"]}) from None
    with raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        header = next(reader, None)
        if header != entry["fields"]:
            raise RestoreRefused(_("The columns of %(file)s are not the ones its manifest lists.")
                                 % {"file": entry["file"]})
        for row in reader:
            if len(row) != len(header):
                raise RestoreRefused(_("A line of %(file)s has %(found)s cells instead of %(expected)s.")
                                     % {"file": entry["file"], "found": len(row), "expected": len(header)})
            yield row


def _match(archive, manifest: dict, using: str, result: Restored) -> dict:
    """{matched model: {id in the backup: id here}}, creating the rows this database lacks (scope.MATCHED)."""
    ids = {}
    models = [apps.get_model(label) for label in scope.MATCHED]
    for model in parents_first(models):
        label = scope.label(model)
        fields = scope.columns(model)
        key_names = scope.MATCHED[label]
        manager = model._base_manager.using(using)
        here = {tuple(row[:-1]): row[-1] for row in manager.values_list(*key_names, "pk")}
        ids[model] = {}
        for row in _csv_rows(archive, manifest["models"][label]):
            values = {}
            for model_field, cell in zip(fields, row, strict=True):
                text = codec.decode_text(cell)
                value = None if text is None else model_field.to_python(text)
                if model_field.is_relation and value is not None:
                    value = ids[model_field.related_model][value]
                values[model_field.attname] = value
            old_id = values.pop(model._meta.pk.attname)
            key = tuple(values[name] for name in key_names)
            if key not in here:
                here[key] = manager.create(**values).pk
                result.created[label] = result.created.get(label, 0) + 1
            ids[model][old_id] = here[key]
    return ids


# Writing

def _restore_table(connection, archive, entry: dict, model, ids: dict, write) -> int:
    fields = scope.columns(model)
    decoders = [codec.decoder(model_field, connection) for model_field in fields]
    # Keys to a matched table (a group, a permission) are translated to this database's ids.
    translated = [(position, ids[model_field.related_model]) for position, model_field in enumerate(fields)
                  if model_field.is_relation and model_field.related_model in ids]
    fillers = [FILLED[name] for name in sorted(scope.omitted_fields(model))]
    columns = [model_field.column for model_field in fields]
    columns += [model._meta.get_field(name).column for name in sorted(scope.omitted_fields(model))]

    def values():
        for row in _csv_rows(archive, entry):
            decoded = [decode(cell) for decode, cell in zip(decoders, row, strict=True)]
            for position, mapping in translated:
                if decoded[position] is not None:
                    decoded[position] = mapping[decoded[position]]
            yield decoded + [fill() for fill in fillers]

    return write(connection, model._meta.db_table, columns, values())


def _insert_rows(connection, table: str, columns: list[str], rows: Iterable[list]) -> int:
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(column) for column in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    count = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, BATCH_ROWS)):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _copy_rows(connection, table: str, columns: list[str], rows: Iterable[list]) -> int:
    """PostgreSQL's COPY through psycopg: several times faster than INSERTs for the large tables."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _delete_all(connection, model) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


# Signing in again

def users_to_invite(*, using: str = DEFAULT_DB_ALIAS):
    """The active users, who come back without a password."""
    return get_user_model()._base_manager.using(using).filter(is_active=True).order_by("pk")


def set_password_link(user) -> str:
    """The absolute address where `user` chooses a password: Django's reset link, valid PASSWORD_RESET_TIMEOUT."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })
    return settings.SITE_URL + path


def set_password_link_send(user, link: str) -> None:
    context = {"user": user, "link": link, "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
               "business_name": business_name()}
    subject = render_to_string("backup/emails/set_password-subject.txt", context).strip()
    body = render_to_string("backup/emails/set_password-body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
