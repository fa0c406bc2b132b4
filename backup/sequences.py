"""The last id each table handed out, kept in the backup and given back on restore.

The largest id still in a table is not enough: a customer deleted last (in the trash, or erased) had a larger one,
and a new customer given it again would inherit their history and block their return from the trash. So the
backup records where each table's counter stood, and the restore sets the counter there (or past the largest id
restored). PostgreSQL keeps the counter in a sequence, SQLite in sqlite_sequence; elsewhere only the largest id
is known (Django's sequence reset).
"""

from django.core.management.color import no_style


def _auto_pk(model):
    pk = model._meta.pk
    return pk if pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField") else None


def last_ids(connection, models) -> dict:
    """{model: the last id its table handed out} for the models with an automatic id, where the database says."""
    found = {}
    with connection.cursor() as cursor:
        for model in models:
            pk = _auto_pk(model)
            if pk is None:
                continue
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s))", [table, pk.column])
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            else:
                continue
            row = cursor.fetchone()
            if row and row[0]:
                found[model] = row[0]
    return found


def counters_restore(connection, models, last: dict) -> None:
    """Sets each table's counter past its largest id, and at least where the backup's stood (`last`)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        for model, value in last.items():
            pk, table = _auto_pk(model), model._meta.db_table
            cursor.execute(f"SELECT MAX({quote(pk.column)}) FROM {quote(table)}")
            if value <= (cursor.fetchone()[0] or 0):
                continue  # the reset above went as far
            if connection.vendor == "postgresql":
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, pk.column, value])
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value])
