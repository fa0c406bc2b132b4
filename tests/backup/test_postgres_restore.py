"""The whole way: a backup of the test's database, restored by `manage.py import_backup` into a new PostgreSQL
database in processes of their own, shows the same counts and the same customer cards."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection
from django.test import Client

from backup.dump import backup_stream
from customers.models import Customer
from tests.backup.conftest import MOMENT, export_bytes, manifest_of
from tests.backup.restored_site import card_html
from tests.services import missing_part

REPO = Path(__file__).resolve().parents[2]


def _server_url() -> str:
    """The PostgreSQL server of the test database when it is one, else TEST_POSTGRES_URL (a local server)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
    return os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _env(database_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "TEST_SQLITE_NAME"}
    return {**env, "DJANGO_SETTINGS_MODULE": "servicecrm.settings.test", "DATABASE_URL": database_url}


def _run(database_url: str, *args) -> str:
    done = subprocess.run([sys.executable, *args], cwd=REPO, env=_env(database_url), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def empty_postgres():
    """A new PostgreSQL database, migrated and nothing else, as the restore's instructions ask; dropped after."""
    server = _server_url()
    name = f"test_backup_restore_{os.getpid()}"
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        missing_part(f"PostgreSQL is not running at {server} (set TEST_POSTGRES_URL)")
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    try:
        _run(url, "manage.py", "migrate", "--no-input", "-v0")
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.clock(MOMENT)
def test_a_backup_restored_into_a_new_postgresql_database_shows_the_same_counts_and_cards(
        world, owner, empty_postgres, tmp_path):
    path = tmp_path / "backup.zip"
    data = export_bytes(backup_stream())
    path.write_bytes(data)
    manifest = manifest_of(data)
    client = Client()
    client.force_login(owner)
    pks = sorted(Customer.objects.values_list("pk", flat=True))
    cards = {str(pk): card_html(client, pk) for pk in pks}

    printed = _run(empty_postgres, "manage.py", "import_backup", str(path))
    restored = json.loads(_run(empty_postgres, "-m", "tests.backup.restored_site", MOMENT, owner.username,
                               ",".join(map(str, pks))))

    assert f"Restored {sum(restored['counts'].values())} rows" in printed
    assert restored["counts"] == {label: manifest["models"][label]["count"] for label in restored["counts"]}
    assert restored["counts"]["customers.customer"] == len(pks)
    assert restored["cards"] == cards
    assert "Mía Lañe" in cards[str(world["mia"].pk)]
    assert restored["usable_passwords"] == []
    assert restored["new_customer_id"] > world["trashed"].customer_pk
    # One set-password link per active user.
    assert printed.count("/password/reset/") == 3
