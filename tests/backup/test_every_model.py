"""Every table is in the backup or excluded with a reason: a model added later cannot be forgotten."""

import pytest

from backup import scope
from backup.dump import backup_stream
from tests.backup.conftest import export_bytes, manifest_of, read_zip


def test_every_model_is_backed_up_or_excluded_with_a_reason():
    assert scope.unaccounted_models() == []


def test_a_library_model_nobody_decided_on_is_reported(monkeypatch):
    monkeypatch.delitem(scope.EXCLUDED, "sessions.session")

    assert scope.unaccounted_models() == ["sessions.session"]


def test_the_lists_name_only_models_that_exist():
    labels = {scope.label(model) for model in scope.all_models()}

    named = set(scope.EXCLUDED) | set(scope.MATCHED) | scope.REPLACED | scope.ALSO_RESTORED
    assert sorted(named - labels) == []


def test_every_exclusion_says_why():
    assert [label for label, reason in scope.EXCLUDED.items() if not reason.strip()] == []


def test_no_backed_up_row_points_at_a_table_left_out():
    pointing = [
        f"{scope.label(model)}.{field.name}"
        for model in scope.backed_up_models() for field in model._meta.concrete_fields
        if field.is_relation and field.db_constraint and not scope.is_backed_up(field.related_model)
    ]

    assert pointing == []


@pytest.mark.django_db
def test_a_backup_holds_every_table_but_the_excluded_ones_with_all_their_rows(world):
    data = export_bytes(backup_stream())

    manifest = manifest_of(data)
    every = {scope.label(model) for model in scope.all_models()}
    assert set(manifest["models"]) == every - set(scope.EXCLUDED)
    counts = {scope.label(model): model._base_manager.count() for model in scope.backed_up_models()}
    assert {label: entry["count"] for label, entry in manifest["models"].items()} == counts
    files = set(read_zip(data).namelist())
    assert {entry["file"] for entry in manifest["models"].values()} <= files


@pytest.mark.django_db
def test_history_tables_are_in_the_backup(world):
    manifest = manifest_of(export_bytes(backup_stream()))

    assert manifest["models"]["customers.historicalcustomer"]["count"] > 0
    assert manifest["models"]["interactions.historicalinteraction"]["count"] > 0


@pytest.mark.django_db
def test_no_password_leaves_the_database(world, owner):
    data = export_bytes(backup_stream())

    assert "password" not in manifest_of(data)["models"]["accounts.user"]["fields"]
    archive = read_zip(data)
    hash_part = owner.password.split("$")[-1].encode()
    assert [name for name in archive.namelist() if hash_part in archive.read(name)] == []
