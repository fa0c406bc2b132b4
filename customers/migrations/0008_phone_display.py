"""Stored display forms of the phone numbers (Customer.phone_display), filled for the customers already there."""

from django.db import migrations, models

BATCH = 2000


def _display(number) -> str:
    # Kept here rather than imported: a migration must not change when customers.models does.
    if not number:
        return ""
    return getattr(number, "as_national", None) or str(number)


def fill_phone_display(apps, schema_editor):
    """In primary-key batches, so 1,000,000 customers never sit in memory at once."""
    Customer = apps.get_model("customers", "Customer")
    rows = Customer.objects.exclude(phone="", alt_phone="").only("id", "phone", "alt_phone").order_by("id")
    last_id = 0
    while batch := list(rows.filter(id__gt=last_id)[:BATCH]):
        for customer in batch:
            customer.phone_display = _display(customer.phone)
            customer.alt_phone_display = _display(customer.alt_phone)
        Customer.objects.bulk_update(batch, ["phone_display", "alt_phone_display"])
        last_id = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0007_trigram_fastupdate_off"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="phone_display",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="customer",
            name="alt_phone_display",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.RunPython(fill_phone_display, migrations.RunPython.noop, elidable=True),
    ]
