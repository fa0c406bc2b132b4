"""A backup restored into an empty database brings back every row as it was; anything else is refused."""

import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from accounts.models import User
from backup.dump import backup_stream
from backup.restore import RestoreRefused, restore_backup
from core.business import business_settings
from customers.models import Customer
from customers.services import customer_create
from tests.backup.conftest import MOMENT, empty_the_database, export_bytes, read_zip, rows_now


def with_file(data: bytes, name: str, change) -> bytes:
    """The same backup with one file's text changed by `change(text)`."""
    out = io.BytesIO()
    with read_zip(data) as source, zipfile.ZipFile(out, "w") as target:
        for each in source.namelist():
            content = source.read(each)
            target.writestr(each, change(content.decode("utf-8-sig")) if each == name else content)
    return out.getvalue()


def with_manifest(data: bytes, change) -> bytes:
    """The same backup with its manifest changed by `change(manifest)`."""
    def changed(text):
        manifest = json.loads(text)
        change(manifest)
        return json.dumps(manifest)
    return with_file(data, "manifest.json", changed)


@pytest.fixture
def backup(world) -> bytes:
    return export_bytes(backup_stream())


@pytest.mark.clock(MOMENT)
@pytest.mark.parametrize("copy", [False, True], ids=["insert", "copy"])
def test_every_row_comes_back_as_it_was_history_included(world, copy):
    if copy and connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    before = rows_now()
    data = export_bytes(backup_stream())
    empty_the_database()

    restored = restore_backup(io.BytesIO(data), copy=copy)

    assert rows_now() == before
    assert restored.counts["customers.historicalcustomer"] == len(before["customers.historicalcustomer"])


@pytest.mark.clock(MOMENT)
def test_null_an_empty_text_and_the_null_marker_as_text_come_back_apart(world, backup):
    empty_the_database()

    restore_backup(io.BytesIO(backup))

    reasons = dict(Customer.history.values_list("id", "history_change_reason"))
    assert reasons[world["mia"].pk] == ""
    assert reasons[world["ann"].pk] == "\\N"
    assert reasons[world["bob"].pk] == "\\already escaped"
    assert None in reasons.values()


@pytest.mark.clock(MOMENT)
def test_users_come_back_without_a_usable_password(world, backup):
    empty_the_database()

    restore_backup(io.BytesIO(backup))

    users = list(User.objects.all())
    assert len(users) == 4
    assert [user.username for user in users if user.has_usable_password()] == []
    assert len({user.password for user in users}) == 4  # nobody shares an unusable password


@pytest.mark.clock(MOMENT)
def test_the_settings_row_migrations_made_is_replaced_not_doubled(world, backup):
    empty_the_database()
    business_settings()  # a new database has its default row

    restore_backup(io.BytesIO(backup))

    assert business_settings().business_name == "Núñez Gardens"


@pytest.mark.clock(MOMENT)
def test_a_group_the_new_database_lacks_is_created_with_its_members_and_permissions(world, backup):
    empty_the_database()
    Group.objects.filter(name="Seasonal").delete()

    restored = restore_backup(io.BytesIO(backup))

    seasonal = Group.objects.get(name="Seasonal")
    assert list(seasonal.user_set.values_list("username", flat=True)) == ["hal"]
    assert list(seasonal.permissions.values_list("codename", flat=True)) == ["view_customer"]
    assert restored.created == {"auth.group": 1}
    assert User.objects.get(username="will").groups.get().name == "Field worker"


@pytest.mark.clock(MOMENT)
def test_new_rows_get_new_ids_after_a_restore(world, backup):
    empty_the_database()
    restore_backup(io.BytesIO(backup))

    customer = customer_create(name="After the restore")

    # Past the trashed customer's id too: the new one inherits no history, and the trashed one can come back.
    assert customer.pk > world["trashed"].customer_pk > world["bob"].pk
    assert customer.history.count() == 1


# Refusals

@pytest.mark.clock(MOMENT)
def test_it_refuses_a_database_that_holds_data_and_says_what_it_found(world, backup):
    before = rows_now()

    with pytest.raises(RestoreRefused, match="already holds data") as refusal:
        restore_backup(io.BytesIO(backup))

    assert "4 customers" in str(refusal.value)
    assert "historical" not in str(refusal.value)
    assert rows_now() == before


@pytest.mark.clock(MOMENT)
def test_it_refuses_a_backup_in_another_format(world, backup):
    empty_the_database()

    with pytest.raises(RestoreRefused, match="format 2"):
        restore_backup(io.BytesIO(with_manifest(backup, lambda manifest: manifest.update(format=2))))


@pytest.mark.clock(MOMENT)
def test_it_refuses_a_backup_made_by_a_version_with_other_migrations(world, backup):
    empty_the_database()

    def newer(manifest):
        manifest["migrations"]["customers"] = "0099_from_the_future"

    with pytest.raises(RestoreRefused, match="another version") as refusal:
        restore_backup(io.BytesIO(with_manifest(backup, newer)))

    assert "customers: 0099_from_the_future" in str(refusal.value)
    assert Customer.objects.count() == 0


@pytest.mark.clock(MOMENT)
def test_it_refuses_a_backup_whose_tables_differ(world, backup):
    empty_the_database()

    def fewer_columns(manifest):
        manifest["models"]["customers.tag"]["fields"].remove("contact_every_days")

    with pytest.raises(RestoreRefused, match="another version"):
        restore_backup(io.BytesIO(with_manifest(backup, fewer_columns)))


def test_it_refuses_a_file_that_is_no_zip(db):
    with pytest.raises(RestoreRefused, match="not a backup"):
        restore_backup(io.BytesIO(b"name,phone\nAnn,555\n"))


def test_it_refuses_a_zip_without_a_manifest(db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("customers.csv", "name\nAnn\n")

    with pytest.raises(RestoreRefused, match="no manifest.json"):
        restore_backup(io.BytesIO(out.getvalue()))


@pytest.mark.clock(MOMENT)
def test_a_restore_that_fails_half_way_writes_nothing(world, backup):
    empty_the_database()

    def one_more_interaction(manifest):
        manifest["models"]["interactions.interaction"]["count"] += 1

    with pytest.raises(RestoreRefused, match="interactions.interaction: 3 rows written where the backup holds 4"):
        restore_backup(io.BytesIO(with_manifest(backup, one_more_interaction)))

    assert (Customer.objects.count(), User.objects.count()) == (0, 0)


@pytest.mark.clock(MOMENT)
def test_a_cell_that_cannot_be_read_is_refused_with_its_file(world, backup):
    empty_the_database()
    broken = with_file(backup, "interactions.interaction.csv", lambda text: text.replace(",true,", ",maybe,", 1))

    with pytest.raises(RestoreRefused, match="interactions.interaction.csv cannot be read"):
        restore_backup(io.BytesIO(broken))

    assert Customer.objects.count() == 0


@pytest.mark.clock(MOMENT)
@pytest.mark.django_db(transaction=True)  # foreign keys are checked when the restore commits
def test_rows_that_point_at_a_row_the_backup_lacks_are_refused(world, backup):
    mia = world["mia"]
    empty_the_database()

    def without_mia(text):
        out = io.StringIO()
        csv.writer(out).writerows(row for row in csv.reader(io.StringIO(text, newline="")) if row[0] != str(mia.pk))
        return out.getvalue()

    def one_customer_less(manifest):
        manifest["models"]["customers.customer"]["count"] -= 1

    broken = with_manifest(with_file(backup, "customers.customer.csv", without_mia), one_customer_less)

    with pytest.raises(RestoreRefused, match="refused the backup's rows"):
        restore_backup(io.BytesIO(broken))

    assert (Customer.objects.count(), User.objects.count()) == (0, 0)
