"""Import benchmark: a 100,000-row spreadsheet checked and imported in this process, as the worker runs it.

    .venv/bin/python bench/import_bench.py --rows 100000 [--existing 100000] [--profile]

The spreadsheet comes from tests/fixtures/imports/make_book.py (1% identical rows, 1% the same customer again, 1%
bad rows), made in a child process so that its memory is not counted here. On PostgreSQL (DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/servicecrm_importbench, created and migrated when missing), emptied of customers
and imports first; --existing N then seeds N other customers, so that the duplicate look-ups search a real book, and
the table is vacuumed and analyzed, as autovacuum would have done.
The check (dry run) and the import are timed apart, with services.run_start + services.run; peak memory is this
process's ru_maxrss. Targets: the import under 2 minutes and under 500 MB. IMPORT_CHUNK_SIZE is read as the worker
reads it. --profile runs the import under cProfile and prints where the time went.
"""

import argparse
import concurrent.futures
import cProfile
import multiprocessing
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/servicecrm_importbench"
TARGET_SECONDS, TARGET_MB = 120, 500
SEED_BATCH = 5000


def write_book(rows: int, path: str) -> dict:
    """In a child process: the spreadsheet written to `path`; what a "skip" import must make of it."""
    sys.path.insert(0, str(ROOT))
    from tests.fixtures.imports import make_book

    share = max(1, rows // 100)
    book = make_book.make_book(rows, identical=share, same_person=share, bad=share)
    Path(path).write_bytes(book.csv_bytes())
    return book.counts


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def ensure_database(url: str) -> None:
    """Creates the bench database when missing, and migrates it (in a child process: migrations are not measured)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to empty {name!r}: the bench's database name must contain 'bench'.")
    server = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)


def empty_book() -> None:
    from django.db import connection

    from customers.models import Customer
    from imports.models import ImportBatch

    tables = [Customer._meta.db_table, Customer.history.model._meta.db_table, ImportBatch._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def vacuum_analyze() -> None:
    """What autovacuum would have done to the book before an import. Some servers run with it off (this machine's
    does): without statistics the planner seq-scans the customers for every chunk's look-up."""
    from django.db import connection

    from customers.models import Customer

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Customer._meta.db_table}")


def seed_existing(count: int) -> None:
    """`count` customers who are not in the spreadsheet: their numbers use exchange 7xx, the book's 555 and 556."""
    from customers.models import Customer
    from tests.fixtures.imports.make_book import AREA_CODES

    areas = len(AREA_CODES)
    for start in range(0, count, SEED_BATCH):
        customers = []
        for index in range(start, min(count, start + SEED_BATCH)):
            rest = index // areas
            customer = Customer(name=f"Existing Customer {index}", email=f"existing{index}@example.net",
                                phone=f"+1{AREA_CODES[index % areas]}{700 + rest // 10_000}{rest % 10_000:04d}",
                                town="Springfield")
            customer.refresh_derived_fields()
            customers.append(customer)
        Customer.objects.bulk_create(customers)


def timed_run(batch, phase: str, profile: cProfile.Profile | None = None) -> float:
    from imports import services

    start = time.perf_counter()
    services.run_start(batch=batch, phase=phase)
    if profile:
        profile.runcall(services.run, batch.pk)
    else:
        services.run(batch.pk)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=0, help="customers already in the book before the import")
    parser.add_argument("--profile", action="store_true", help="profile the import (cProfile) and print the top")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecrm.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"  # with DEBUG on, Django keeps every query in memory
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        raise SystemExit("The import bench runs on PostgreSQL: set DATABASE_URL=postgres://…")
    ensure_database(os.environ["DATABASE_URL"])

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"book-{args.rows}.csv")
        started = time.perf_counter()
        spawn = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            expected = pool.submit(write_book, args.rows, path).result()
        made = time.perf_counter() - started
        data = Path(path).read_bytes()

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import User
    from imports import services
    from imports.models import ImportBatch, Phase, Status
    from servicecrm.celery import app

    app.conf.broker_url = "memory://"  # run_start queues the task too: nobody is to take it, this process runs it

    empty_book()
    started = time.perf_counter()
    seed_existing(args.existing)
    vacuum_analyze()
    seeded = time.perf_counter() - started
    owner, _created = User.objects.get_or_create(username="import-bench")
    before = peak_mb()

    started = time.perf_counter()
    batch = services.batch_create(filename=f"book-{args.rows}.csv", data=data, created_by=owner)
    batch = services.batch_choose(batch=batch, sheet="", mapping=batch.mapping, date_order=batch.date_order,
                                  duplicates="skip")
    uploaded, after_upload = time.perf_counter() - started, peak_mb()
    checked = timed_run(batch, Phase.DRY_RUN)
    after_check = peak_mb()
    batch.refresh_from_db()
    profile = cProfile.Profile() if args.profile else None
    imported = timed_run(batch, Phase.IMPORT, profile)
    after_import = peak_mb()
    batch = ImportBatch.objects.get(pk=batch.pk)

    counts = {"new": batch.created_count, "updated": batch.updated_count, "skipped": batch.skipped_count,
              "rejected": batch.rejected_count}
    from django.conf import settings

    print(f"\n{args.rows:,} rows ({len(data) / 1e6:.1f} MB), {args.existing:,} customers before, "
          f"chunks of {settings.IMPORT_CHUNK_SIZE}, PostgreSQL; made in {made:.1f} s, seeded in {seeded:.1f} s")
    print(f"{'step':24} {'seconds':>8} {'rows/s':>8} {'peak MB':>8}")
    print(f"{'start (Django, seed)':24} {'':>8} {'':>8} {before:8.0f}")
    print(f"{'upload (batch_create)':24} {uploaded:8.1f} {args.rows / uploaded:8.0f} {after_upload:8.0f}")
    print(f"{'check (dry run)':24} {checked:8.1f} {args.rows / checked:8.0f} {after_check:8.0f}")
    print(f"{'import':24} {imported:8.1f} {args.rows / imported:8.0f} {after_import:8.0f}")
    print(f"check found {batch.checked}; import did {counts}; expected {expected}")
    fast, small = imported < TARGET_SECONDS, after_import < TARGET_MB
    print(f"targets: import under {TARGET_SECONDS} s: {'yes' if fast else 'NO'}; "
          f"peak under {TARGET_MB} MB: {'yes' if small else 'NO'}")
    if profile:
        out = ROOT / "var" / "import-bench.prof"
        out.parent.mkdir(exist_ok=True)
        profile.dump_stats(out)
        print(f"\nprofile of the import ({out}):")
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    if batch.status != Status.DONE or counts != expected or batch.checked != expected:
        raise SystemExit(f"The import did not end as expected: {batch.status} {batch.error}")


if __name__ == "__main__":
    main()
