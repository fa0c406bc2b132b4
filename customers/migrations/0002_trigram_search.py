"""On PostgreSQL, trigram indexes make "contains" search use an index instead of scanning every customer.

SQLite has no such index; there the search scans, which stays fast at the sizes SQLite is meant for.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS customer_search_trgm ON customers_customer USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS customer_phone_trgm ON customers_customer USING gin (phone_digits gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS customer_alt_phone_trgm ON customers_customer USING gin (alt_phone_digits gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS customer_search_trgm",
    "DROP INDEX IF EXISTS customer_phone_trgm",
    "DROP INDEX IF EXISTS customer_alt_phone_trgm",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
