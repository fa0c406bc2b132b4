"""The trigram indexes take each new row at once (fastupdate off) instead of in a pending list.

With the pending list, every search and every duplicate look-up reads the whole list until a vacuum empties it:
after an import of 100,000 customers one look-up took 2.7 s instead of 31 ms (bench/import_bench.py). A customer
book is written far less often than it is searched, so the cost moves to the write, where it is small.
"""

from django.db import migrations

INDEXES = ("customer_search_trgm", "customer_phone_trgm", "customer_alt_phone_trgm")


def fastupdate(value: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [("customers", "0006_customer_customer_email_lower_idx")]

    operations = [migrations.RunPython(fastupdate("off"), fastupdate("on"))]
