"""The import's runs in this process (services.run, as the worker calls it): decisions, writes, the check, undo, resume."""

import pytest

from customers.models import Customer
from customers.services import customer_update
from imports import services
from imports.models import ImportBatch, ImportedCustomer, ImportRowNote, Phase, Status
from tests.factories import CustomerFactory, InteractionFactory, TagFactory

pytestmark = pytest.mark.django_db

HEADER = "Name,Mobile,E-mail,Town,Tags,Notes\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def _upload(owner, data: bytes, *, duplicates="skip", name="customers.csv") -> ImportBatch:
    batch = services.batch_create(filename=name, data=data, created_by=owner)
    return services.batch_choose(batch=batch, sheet="", mapping=batch.mapping, date_order=batch.date_order,
                                 duplicates=duplicates)


def _run(batch: ImportBatch, phase: str) -> ImportBatch:
    services.run_start(batch=batch, phase=phase)
    services.run(batch.pk)
    return ImportBatch.objects.get(pk=batch.pk)


def _counts(batch: ImportBatch) -> dict:
    return {"new": batch.created_count, "updated": batch.updated_count, "skipped": batch.skipped_count,
            "rejected": batch.rejected_count}


BOOK = _csv(
    "Ann Archer,(202) 555-0101,ann@example.com,Leeds,vip;hedges,Big garden",
    "Bob Baker,(202) 555-0102,,York,,",
    "Bob Baker,(202) 555-0102,,York,,",  # identical to the row before: imported once
    "Robert Baker,+1 202 555 0102,bob@example.com,York,,Same phone as Bob",  # same phone as row 3
    "Cara Cole,(202) 555-0103,CARA@EXAMPLE.COM,Hull,,",  # same email as a customer from before
    ",(202) 555-0104,nobody@example.com,Hull,,",  # no name
    "Dan Dean,not a phone,dan@example,Hull,,",  # bad phone and bad email
    "Eve Evans,(202) 555-0105,eve@example.com,,hedges,",
)


@pytest.fixture
def cara(db):
    return CustomerFactory(name="Cara Cole", phone="", email="cara@example.com", town="")


def test_skip_mode_creates_the_new_skips_duplicates_and_rejects_bad_rows(owner, cara):
    batch = _run(_upload(owner, BOOK), Phase.IMPORT)

    assert batch.status == Status.DONE and batch.error == ""
    assert batch.total_rows == batch.done_rows == 8
    assert _counts(batch) == {"new": 3, "updated": 0, "skipped": 3, "rejected": 2}
    assert set(Customer.objects.exclude(pk=cara.pk).values_list("name", flat=True)) == {
        "Ann Archer", "Bob Baker", "Eve Evans"}
    ann = Customer.objects.get(name="Ann Archer")
    assert ann.phone.as_e164 == "+12025550101" and ann.phone_digits == "12025550101"
    assert ann.key_points == "Big garden"
    assert sorted(ann.tags.values_list("name", flat=True)) == ["hedges", "vip"]
    record = ann.history.get()
    assert record.history_type == "+" and record.history_user == owner
    assert record.history_change_reason == f"Imported from customers.csv (import #{batch.pk})"
    cara.refresh_from_db()
    assert cara.town == "" and cara.version == 1  # skipped: not touched

    skipped = {note.row_number: note.reason for note in ImportRowNote.objects.filter(batch=batch, kind="skipped")}
    assert skipped[4] == "Identical to row 3"
    assert "row 3" in skipped[5]
    assert f"Already a customer: Cara Cole (#{cara.pk})" in skipped[6]
    rejected = {note.row_number: note.reason for note in ImportRowNote.objects.filter(batch=batch, kind="rejected")}
    assert set(rejected) == {7, 8}
    assert "name" in rejected[7].lower()
    assert "phone" in rejected[8].lower() and "email" in rejected[8].lower()
    assert ImportRowNote.objects.get(batch=batch, row_number=8).cells[1] == "not a phone"
    assert ImportedCustomer.objects.filter(batch=batch, action="created").count() == 3
    assert not hasattr(batch, "file") or not ImportBatch.objects.filter(pk=batch.pk, file__isnull=False).exists()


def test_fill_mode_fills_only_empty_fields_and_undo_empties_them_again(owner, cara):
    vip = TagFactory(name="VIP")
    cara.tags.add(vip)
    data = _csv("Cara Cole,(202) 555-0103,cara@example.com,Hull,vip;new-tag,Likes tea",
                "C. Cole,(202) 555-0103,,Leeds,,")  # the same again (by phone now): nothing new to fill
    batch = _run(_upload(owner, data, duplicates="fill"), Phase.IMPORT)

    assert _counts(batch) == {"new": 0, "updated": 1, "skipped": 1, "rejected": 0}
    cara.refresh_from_db()
    assert cara.phone.as_e164 == "+12025550103" and cara.town == "Hull" and cara.key_points == "Likes tea"
    assert cara.name == "Cara Cole" and cara.version == 2
    assert sorted(cara.tags.values_list("name", flat=True)) == ["VIP", "new-tag"]
    latest = cara.history.latest()
    assert latest.history_type == "~" and "row 2" in latest.history_change_reason

    undone = _run(batch, Phase.UNDO)
    assert undone.status == Status.UNDONE and undone.undo_kept == 0
    cara.refresh_from_db()
    assert str(cara.phone) == "" and cara.town == "" and cara.key_points == "" and cara.phone_digits == ""
    assert list(cara.tags.values_list("name", flat=True)) == ["VIP"]
    assert cara.history.latest().history_change_reason == f"Import #{batch.pk} (customers.csv) undone"


def test_add_mode_adds_duplicates_but_identical_rows_once(owner, cara):
    batch = _run(_upload(owner, BOOK, duplicates="add"), Phase.IMPORT)
    assert _counts(batch) == {"new": 5, "updated": 0, "skipped": 1, "rejected": 2}
    assert Customer.objects.filter(email__iexact="cara@example.com").count() == 2
    assert Customer.objects.filter(phone_digits="12025550102").count() == 2


@pytest.mark.parametrize("mode", ["skip", "fill", "add"])
def test_the_check_says_what_the_import_then_does_and_writes_nothing(owner, cara, mode):
    batch = _upload(owner, BOOK, duplicates=mode)
    before = Customer.objects.count()
    checked = _run(batch, Phase.DRY_RUN)
    assert checked.status == Status.MAPPING and checked.phase == Phase.NONE
    assert Customer.objects.count() == before
    assert not ImportedCustomer.objects.exists()
    assert ImportRowNote.objects.filter(batch=batch, dry_run=True, kind="rejected").count() == 2

    imported = _run(checked, Phase.IMPORT)
    assert checked.checked == _counts(imported)
    assert Customer.objects.count() == before + imported.created_count


def test_fill_from_a_later_row_of_the_file_counts_once(owner):
    data = _csv("Gus Green,(202) 555-0110,,,,", "Gus Green,(202) 555-0110,gus@example.com,,,")
    batch = _run(_upload(owner, data, duplicates="fill"), Phase.IMPORT)
    assert _counts(batch) == {"new": 1, "updated": 0, "skipped": 1, "rejected": 0}
    assert Customer.objects.get().email == "gus@example.com"


def test_undo_removes_what_it_created_with_its_history_and_keeps_what_was_logged_since(owner, worker, cara):
    batch = _run(_upload(owner, BOOK), Phase.IMPORT)
    ann = Customer.objects.get(name="Ann Archer")
    bob = Customer.objects.get(name="Bob Baker")
    InteractionFactory(customer=ann, user=worker)  # something logged for Ann since
    customer_update(customer=bob, data={"town": "Selby"})  # and Bob was edited
    eve_id = Customer.objects.get(name="Eve Evans").pk

    undone = _run(batch, Phase.UNDO)

    assert undone.status == Status.UNDONE and undone.undo_kept == 2
    assert set(Customer.objects.values_list("name", flat=True)) == {"Ann Archer", "Bob Baker", "Cara Cole"}
    assert not Customer.history.filter(id=eve_id).exists()
    assert ImportedCustomer.objects.filter(batch=batch, kept=True).count() == 2
    with pytest.raises(Exception, match="nothing of this import left"):
        services.run_start(batch=undone, phase=Phase.UNDO)


def test_a_run_that_died_resumes_after_its_last_chunk(owner, settings, monkeypatch):
    settings.IMPORT_CHUNK_SIZE = 2
    settings.IMPORT_STALL_SECONDS = 0
    lines = [f"Person {n},202-555-01{n:02d},p{n}@example.com,,," for n in range(9)]
    lines += ["Person 1,202-555-0101,p1@example.com,,,", "Again Person 3,,P3@EXAMPLE.COM,,,"]
    batch = _upload(owner, _csv(*lines))
    services.run_start(batch=batch, phase=Phase.IMPORT)

    real_write, calls = services._write_chunk, []

    def dies_after_the_second_chunk(*args, **kwargs):
        real_write(*args, **kwargs)
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("the worker was killed")  # after the chunk was committed, before the next

    monkeypatch.setattr(services, "_write_chunk", dies_after_the_second_chunk)
    with pytest.raises(SystemExit):
        services.run(batch.pk)
    monkeypatch.setattr(services, "_write_chunk", real_write)
    stalled = ImportBatch.objects.get(pk=batch.pk)
    assert stalled.status == Status.RUNNING and stalled.done_rows == 4
    assert Customer.objects.count() == 4
    assert services.stalled_batches() == [batch.pk]

    services.run(batch.pk)

    done = ImportBatch.objects.get(pk=batch.pk)
    assert done.status == Status.DONE and done.attempts == 2
    assert _counts(done) == {"new": 9, "updated": 0, "skipped": 2, "rejected": 0}
    assert Customer.objects.count() == 9
    assert sorted(ImportRowNote.objects.filter(batch=done).values_list("row_number", flat=True)) == [11, 12]


def test_a_second_runner_leaves_a_live_run_alone(owner, settings):
    settings.IMPORT_STALL_SECONDS = 60
    batch = _upload(owner, BOOK)
    services.run_start(batch=batch, phase=Phase.IMPORT)
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING)  # another worker took it a moment ago
    services.run(batch.pk)
    assert ImportBatch.objects.get(pk=batch.pk).done_rows == 0
    assert not Customer.objects.exists()


def test_a_run_that_keeps_dying_stops_cleanly(owner, settings):
    settings.IMPORT_STALL_SECONDS = 0
    settings.IMPORT_MAX_ATTEMPTS = 2
    batch = _upload(owner, BOOK)
    services.run_start(batch=batch, phase=Phase.IMPORT)
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING, attempts=2)
    services.run(batch.pk)
    stopped = ImportBatch.objects.get(pk=batch.pk)
    assert stopped.status == Status.FAILED and "2 times" in stopped.error
    assert not Customer.objects.exists()


def test_looked_after_by_names_a_team_member_or_the_row_is_rejected(owner, worker):
    worker.first_name, worker.last_name = "Wes", "Worker"
    worker.save()
    data = (b"Name,Looked after by,Do not contact,Preferred contact\n"
            b"Ann Archer,wes worker,yes,Text message\nBob Baker,Nobody Here,no,\n")
    batch = _run(_upload(owner, data), Phase.IMPORT)
    assert _counts(batch) == {"new": 1, "updated": 0, "skipped": 0, "rejected": 1}
    ann = Customer.objects.get()
    assert ann.assigned_to == worker and ann.do_not_contact is True and ann.preferred_contact == "text"
    assert "Nobody Here" in ImportRowNote.objects.get(batch=batch, kind="rejected").reason
