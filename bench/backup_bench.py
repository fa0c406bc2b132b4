"""Backup benchmark: the full backup of the PostgreSQL bench database, restored into a new database.

    .venv/bin/python bench/backup_bench.py            # servicecrm_bench, seeded with 100,000 customers if needed

Times `manage.py export_backup` on the bench database (seeded with `seed_demo --customers N` first when it is
missing or smaller, as bench/bench.py does), then `migrate` and `manage.py import_backup` into a new database,
checks that every table holds as many rows in both, and prints the figures: time, peak memory, size of the .zip.
The target: a restore of the 100,000-customer database in under 5 minutes. Timings live here, never in tests.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def database_url(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def run(env: dict, *args) -> tuple[float, float, str]:
    """Runs `manage.py args`: (seconds, peak memory in MB, what it printed)."""
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({process.returncode})")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output


def table_counts(url: str) -> dict:
    with psycopg.connect(url) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def customers_in(server: str, name: str) -> int | None:
    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
            return None
    with psycopg.connect(database_url(server, name)) as connection:
        exists = connection.execute("SELECT to_regclass('customers_customer')").fetchone()[0]
        return connection.execute("SELECT COUNT(*) FROM customers_customer").fetchone()[0] if exists else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="the PostgreSQL server")
    parser.add_argument("--database", default="servicecrm_bench", help="the bench database (backed up)")
    parser.add_argument("--restore-into", default="servicecrm_bench_restored", help="made anew, then dropped")
    parser.add_argument("--customers", type=int, default=100_000, help="seeded when the bench database has fewer")
    parser.add_argument("--keep", action="store_true", help="keep the restored database and the .zip")
    args = parser.parse_args()

    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicecrm.settings.dev", "DJANGO_DEBUG": "false"}
    source = {**base, "DATABASE_URL": database_url(args.server, args.database)}
    target = {**base, "DATABASE_URL": database_url(args.server, args.restore_into)}
    (ROOT / "var").mkdir(exist_ok=True)
    path = ROOT / "var" / "backup-bench.zip"

    customers = customers_in(args.server, args.database)
    if customers is None or customers < args.customers:
        print(f"Seeding {args.database} with {args.customers} customers (a few minutes)…")
        run(source, "migrate", "-v0")
        run(source, "seed_demo", "--customers", str(args.customers), "--if-empty")
        customers = customers_in(args.server, args.database)

    export_s, export_mb, _ = run(source, "export_backup", str(path))
    with psycopg.connect(database_url(args.server, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.restore_into}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.restore_into}"')
    try:
        migrate_s, _, _ = run(target, "migrate", "-v0")
        restore_s, restore_mb, printed = run(target, "import_backup", str(path))
        before, after = table_counts(source["DATABASE_URL"]), table_counts(target["DATABASE_URL"])
    finally:
        if not args.keep:
            with psycopg.connect(database_url(args.server, "postgres"), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{args.restore_into}" WITH (FORCE)')

    size_mb = path.stat().st_size / 1e6
    if not args.keep:
        path.unlink()
    # The tables a backup leaves out (backup/scope.py EXCLUDED) are allowed to differ.
    differing = {table: (before[table], after.get(table)) for table in before
                 if before[table] != after.get(table) and not table.startswith(("django_session", "axes_",
                                                                                 "django_admin_log", "core_heartbeat"))}
    print(f"\n{customers} customers, {sum(before.values())} rows in {args.database}")
    print(f"{'step':28} {'seconds':>8} {'peak MB':>8}")
    print(f"{'export_backup':28} {export_s:8.1f} {export_mb:8.0f}   .zip: {size_mb:.1f} MB")
    print(f"{'migrate (new database)':28} {migrate_s:8.1f}")
    print(f"{'import_backup':28} {restore_s:8.1f} {restore_mb:8.0f}   {printed.splitlines()[0]}")
    print("every table has the same count after the restore" if not differing else f"DIFFERENT: {differing}")
    if restore_s > 300:
        print("SLOWER than the target: a restore in under 5 minutes")


if __name__ == "__main__":
    main()
