"""The import under a real Celery worker and Redis: a whole book imported and undone, and a worker killed mid-import
whose run the next worker resumes (its worker_ready handler) to exactly the result of a run that never stopped."""

import re

import pytest
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone

from customers.models import Customer
from imports import services
from imports.models import ImportBatch, ImportedCustomer, ImportRowNote, Phase, Status
from tests.fixtures.imports import make_book
from tests.services import celery_workers, redis_broker, smtp_server, wait_for, worker_env  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

OVER = (Status.DONE, Status.FAILED, Status.UNDONE)


def _upload(owner, data: bytes, *, name="book-1000.csv") -> ImportBatch:
    batch = services.batch_create(filename=name, data=data, created_by=owner)
    return services.batch_choose(batch=batch, sheet="", mapping=batch.mapping, date_order=batch.date_order,
                                 duplicates="skip")


def _counts(batch: ImportBatch) -> dict:
    return {"new": batch.created_count, "updated": batch.updated_count, "skipped": batch.skipped_count,
            "rejected": batch.rejected_count}


def _wait_until_over(batch: ImportBatch, *workers, timeout: float = 60) -> ImportBatch:
    try:
        wait_for(lambda: ImportBatch.objects.filter(pk=batch.pk, status__in=OVER).exists(), timeout=timeout,
                 interval=0.1, what=f"import #{batch.pk} to finish")
    except AssertionError as error:
        raise AssertionError(f"{error}\n" + "\n".join(worker.output for worker in workers)) from None
    return ImportBatch.objects.get(pk=batch.pk)


def _customers_twice() -> list:
    """Phone digits or emails (any case) that more than one customer has."""
    by_phone = (Customer.objects.exclude(phone_digits="").values("phone_digits").annotate(n=Count("id"))
                .filter(n__gt=1).values_list("phone_digits", flat=True))
    by_email = (Customer.objects.exclude(email="").annotate(key=Lower("email")).values("key").annotate(n=Count("id"))
                .filter(n__gt=1).values_list("key", flat=True))
    return list(by_phone) + list(by_email)


def test_a_worker_imports_the_book_then_undoes_it(owner, celery_workers):  # noqa: F811
    # Given: the spreadsheet as make_book.py writes it, uploaded, duplicates to be skipped
    data = make_book.BOOK_1000.read_bytes()
    assert data == make_book.book_1000().csv_bytes(), "book-1000.csv is not what make_book.py writes: run it again"
    worker = celery_workers.start()
    batch = _upload(owner, data)
    assert batch.mapping == ["first_name", "last_name", "phone", "email", "street", "town", "postcode", "tags",
                             "key_points", "customer_since"]
    assert batch.date_order == "mdy"

    # When: the owner presses Import
    services.run_start(batch=batch, phase=Phase.IMPORT)
    done = _wait_until_over(batch, worker)

    # Then: the worker imported every new customer once, and kept why each other row was not
    assert (done.status, done.error, done.attempts) == (Status.DONE, "", 1)
    assert _counts(done) == make_book.BOOK_1000_COUNTS
    assert Customer.objects.count() == make_book.BOOK_1000_COUNTS["new"]
    assert _customers_twice() == []
    assert ImportedCustomer.objects.filter(batch=done, action="created").count() == done.created_count
    notes = ImportRowNote.objects.filter(batch=done, dry_run=False)
    assert notes.filter(kind="skipped").count() == done.skipped_count
    assert notes.filter(kind="rejected").count() == done.rejected_count
    karen = Customer.objects.get(phone_digits="12025550100")  # row 2
    assert (karen.name, karen.email, karen.street, karen.town, karen.postcode, karen.key_points) == (
        "Karen Williams", "karen.williams0@yahoo.com", "5239 Main Dr", "Oakland", "75834", "Dog in back yard")
    assert str(karen.customer_since) == "2017-05-12"
    assert sorted(karen.tags.values_list("name", flat=True)) == ["gutters", "weekly"]
    assert Customer.objects.filter(key_points="=SUM(A1:A3)").exists()  # kept as typed: text, never a formula
    assert "Identical to row 15" in notes.get(row_number=20).reason
    assert notes.get(row_number=21).reason == "The same customer as row 13"  # Jessica Harris, email in capitals
    assert notes.get(row_number=24).reason == "No name."

    # When: the owner undoes the import
    services.run_start(batch=done, phase=Phase.UNDO)
    undone = _wait_until_over(done, worker)

    # Then: every customer it created is gone, with their history
    assert (undone.status, undone.error, undone.undo_kept) == (Status.UNDONE, "", 0)
    assert not Customer.objects.exists()
    assert not Customer.history.exists()
    assert not ImportedCustomer.objects.exists()


def test_a_worker_killed_mid_import_is_resumed_by_the_next_worker_with_the_result_of_an_unbroken_run(
    owner, celery_workers, worker_env  # noqa: F811
):
    # Given: small chunks, a two-second stall, and a book big enough to catch the worker half-way
    worker_env.update(IMPORT_CHUNK_SIZE="25", IMPORT_STALL_SECONDS="2")
    book = make_book.make_book(6000, identical=240, same_person=180, bad=150)
    first = celery_workers.start("w1")
    batch = _upload(owner, book.csv_bytes(), name="book-6000.csv")
    services.run_start(batch=batch, phase=Phase.IMPORT)
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).done_rows >= 100, timeout=60, interval=0.02,
             what="the first chunks to be written")

    # When: the worker is killed (SIGKILL) in the middle of the import
    first.kill()

    # Then: the run is left RUNNING with whole chunks written, and nothing of the chunk it was in
    stalled = ImportBatch.objects.get(pk=batch.pk)
    assert stalled.status == Status.RUNNING, first.output
    assert 0 < stalled.done_rows < stalled.total_rows == 6000
    assert stalled.done_rows % 25 == 0
    assert Customer.objects.count() == stalled.created_count > 0
    assert ImportedCustomer.objects.filter(batch=batch).count() == stalled.created_count
    assert ImportRowNote.objects.filter(batch=batch).count() == stalled.skipped_count + stalled.rejected_count

    # When: the run has been quiet for IMPORT_STALL_SECONDS, and a new worker starts
    wait_for(lambda: (timezone.now() - stalled.heartbeat_at).total_seconds() > 2.2, what="the run to go quiet")
    second = celery_workers.start("w2")
    done = _wait_until_over(batch, first, second, timeout=120)

    # Then: its worker_ready handler resumed the run, which ended as an unbroken run would have
    assert re.search(r"Task imports\.resume_stalled\[[^\]]+\] succeeded in [\d.]+s: 1$", second.output, re.M), \
        second.output
    assert (done.status, done.error, done.attempts) == (Status.DONE, "", 2)
    assert _counts(done) == book.counts
    assert Customer.objects.count() == book.counts["new"]
    assert _customers_twice() == []
    assert ImportedCustomer.objects.filter(batch=batch).count() == book.counts["new"]
    assert ImportRowNote.objects.filter(batch=batch).count() == book.counts["skipped"] + book.counts["rejected"]
    assert ImportRowNote.objects.filter(batch=batch).values("row_number").distinct().count() == (
        book.counts["skipped"] + book.counts["rejected"])
