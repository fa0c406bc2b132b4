"""An index for names that begin with the search text, which the list and the quick search rank first
(customers.selectors.search_tiers).

The (sort_name, id) index cannot answer `sort_name LIKE 'smi%'` unless the database collation is "C"; without this
one, that tier read all 100,000 customers (a parallel sequential scan, 155 ms, bench/plans/search_555.txt) to find
none. Built CONCURRENTLY so that a large customer book stays writable meanwhile. SQLite has no such operator class;
there the tier scans, which stays fast at the sizes SQLite is meant for.
"""

from django.db import migrations

CREATE = "CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_sort_name_prefix ON customers_customer (sort_name varchar_pattern_ops)"
DROP = "DROP INDEX CONCURRENTLY IF EXISTS customer_sort_name_prefix"


def on_postgresql(sql: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("customers", "0008_phone_display")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
