"""The import pages as the owner uses them: upload, the mapping page and its preview, the runs, the CSVs, undo.

No worker runs in these tests: a run is queued by the page, then run here with services.run, as the worker would.
"""

import csv
import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from customers.models import Customer
from imports import services
from imports.models import ImportBatch, Phase, Status
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
START = reverse("imports:start")


def upload(client, name: str, data: bytes | None = None):
    """Posts the upload form with a fixture file (or `data` under that name)."""
    content = (FIXTURES / name).read_bytes() if data is None else data
    return client.post(START, {"file": SimpleUploadedFile(name, content)})


def uploaded(owner, data: bytes, name: str = "customers.csv") -> ImportBatch:
    return services.batch_create(filename=name, data=data, created_by=owner)


def choices(batch: ImportBatch, **changes) -> dict:
    """What the mapping page's form sends back as it is shown, with the user's `changes`."""
    data = {"sheet": batch.sheet, "date_order": batch.date_order, "duplicates": batch.duplicates, "action": "preview"}
    data.update({f"col_{index}": target for index, target in enumerate(batch.mapping)})
    data.update(changes)
    return data


def selected(html: str, name: str) -> str:
    """The option the page shows chosen in the <select> called `name`."""
    select = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select> called {name}"
    option = re.search(r'<option value="([^"]*)" selected>', select[1])
    return option[1] if option else ""


def preview_row(html: str, number: int) -> str:
    row = re.search(rf'<tr[^>]*>\s*<th scope="row">{number}</th>(.*?)</tr>', html, re.S)
    assert row, f"no preview row {number}"
    return row[1]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(text[1:].splitlines()))


def run_queued(batch: ImportBatch) -> ImportBatch:
    """What the worker does with the run the page queued."""
    services.run(batch.pk)
    return ImportBatch.objects.get(pk=batch.pk)


# ---- Uploads we cannot take --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "message"), [
    ("empty.csv", "The submitted file is empty."),
    ("binary.csv", "This doesn't look like a CSV, Excel (.xlsx) or contacts (.vcf) file."),
    ("header-only.csv", "This file has only a header row and no customers below it."),
    ("undecodable.csv", "Some characters in this file can't be read (the first is on line 3)."),
    ("legacy.xls-renamed.csv", "This is an old Excel .xls file: save it as .xlsx or CSV and upload that instead."),
    ("corrupt.xlsx", "This file looks like an Excel workbook, but it can't be opened"),
])
def test_a_file_we_cannot_read_is_refused_on_the_page_and_nothing_is_kept(owner_client, name, message):
    response = upload(owner_client, name)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit(owner_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    data = b"Name,Notes\n" + b"Ann Lee," + b"x" * int(1.1 * 1024 * 1024) + b"\n"

    response = upload(owner_client, "big.csv", data)

    assert response.status_code == 200
    assert "This file is 1.1 MB; the largest we take is 1 MB." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_no_file_at_all_is_refused_beside_the_field(owner_client):
    response = owner_client.post(START, {"file": ""})  # what a browser sends when no file was chosen

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


# ---- The mapping page --------------------------------------------------------------------------------------------


def test_a_good_upload_lands_on_the_mapping_page_with_the_columns_guessed_and_the_rows_judged(owner_client):
    response = upload(owner_client, "formula.csv")

    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert (batch.filename, batch.kind, batch.status) == ("formula.csv", "csv", Status.MAPPING)
    html = owner_client.get(response.url).content.decode()
    assert [selected(html, f"col_{index}") for index in range(4)] == ["name", "phone", "", "key_points"]
    assert "Zoë Ångström" in preview_row(html, 3) and "New customer" in preview_row(html, 3)
    bob = preview_row(html, 4)
    assert "Bob Stone" in bob
    assert "<strong>Rejected:</strong> Phone “07700 900456” is not a phone number." in bob
    assert not Customer.objects.exists()  # the preview writes nothing


@pytest.mark.parametrize(("name", "shown"), [
    ("utf8.csv", "Zoë Ångström"),
    ("utf8-bom.csv", "Zoë Ångström"),
    ("windows-1252.csv", "Owes £40 – doesn’t mind calls"),
    ("quoted.csv", "He said &quot;call first&quot;"),
    ("customers.xlsx", "Call after 5"),
])
def test_each_kind_of_file_shows_its_cells_as_written(owner_client, name, shown):
    response = upload(owner_client, name)

    assert response.status_code == 302
    assert shown in owner_client.get(response.url).content.decode()


def test_a_workbook_whose_first_sheet_is_empty_opens_on_the_sheet_with_data(owner_client):
    response = upload(owner_client, "two-sheets-first-empty.xlsx")

    html = owner_client.get(response.url).content.decode()
    assert selected(html, "sheet") == "Clients"
    assert [selected(html, "col_0"), selected(html, "col_1")] == ["name", "email"]
    assert "Renée Côté" in preview_row(html, 2)


@pytest.mark.parametrize("name", ["google.vcf", "iphone.vcf", "v4.vcf"])
def test_a_contacts_file_maps_name_mobile_and_email_by_itself(owner_client, name):
    response = upload(owner_client, name)

    batch = ImportBatch.objects.get()
    assert batch.kind == "vcf"
    html = owner_client.get(response.url).content.decode()
    columns = {header: selected(html, f"col_{index}") for index, header in enumerate(batch.header)}
    assert (columns["Name"], columns["Mobile"], columns["Email"]) == ("name", "phone", "email")


AMBIGUOUS = b"Name,Customer since,Town\nAnn Lee,04/03/2024,Leeds\nBob Stone,05/06/2023,York\n"


def test_an_ambiguous_date_column_asks_for_the_order_and_keeps_every_choice(owner, owner_client):
    batch = uploaded(owner, AMBIGUOUS)
    assert batch.mapping == ["name", "customer_since", "town"] and batch.date_order == ""

    response = owner_client.post(batch.get_absolute_url(),
                                 choices(batch, col_2="access_notes", duplicates="fill", action="import"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dates such as 04/03/2024 could be 4 March or April 3: say which your file means." in html
    assert [selected(html, f"col_{index}") for index in range(3)] == ["name", "customer_since", "access_notes"]
    assert re.search(r'value="fill" id="[^"]*" checked', html)
    assert selected(html, "date_order") == ""
    kept = ImportBatch.objects.get(pk=batch.pk)
    assert (kept.status, kept.mapping, kept.duplicates) == (Status.MAPPING, batch.mapping, "skip")

    response = owner_client.post(batch.get_absolute_url(), choices(batch, date_order="dmy", action="import"))

    assert response.status_code == 302
    assert run_queued(batch).status == Status.DONE
    assert Customer.objects.get(name="Ann Lee").customer_since == datetime.date(2024, 3, 4)


def test_choosing_the_other_sheet_reads_its_columns_instead_of_running(owner_client):
    response = upload(owner_client, "customers.xlsx")
    batch = ImportBatch.objects.get()
    assert (batch.sheet, batch.sheets) == ("Customers", ["Customers", "Summary"])

    response = owner_client.post(response.url, choices(batch, sheet="Summary", action="import"))

    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.sheet, batch.header, batch.status) == ("Summary", ["Total customers", "3"], Status.MAPPING)
    html = owner_client.get(response.url).content.decode()
    assert selected(html, "sheet") == "Summary"
    assert 'name="col_1"' in html and 'name="col_2"' not in html
    assert "Exported" in preview_row(html, 2)


def test_a_mapping_without_a_name_is_refused_with_a_message(owner, owner_client):
    batch = uploaded(owner, b"Name,Phone\nAnn Lee,(202) 555-0101\n")

    response = owner_client.post(batch.get_absolute_url(), choices(batch, col_0="", action="import"))

    assert response.status_code == 200
    assert "Choose the column that holds the name (or the first and last names)." in response.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.MAPPING


# ---- Check, import, the notes' CSVs, undo -------------------------------------------------------------------------


def test_the_check_shows_its_counts_and_its_rejected_rows_with_formulas_defused(owner_client):
    upload(owner_client, "formula.csv")
    batch = ImportBatch.objects.get()

    response = owner_client.post(batch.get_absolute_url(), choices(batch, action="dry_run"))

    assert response.status_code == 302
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.QUEUED
    assert run_queued(batch).status == Status.MAPPING
    html = owner_client.get(batch.get_absolute_url()).content.decode()
    assert "1 new, 0 to fill in,\n    0 skipped, 2 rejected. Nothing was saved." in html
    link = reverse("imports:notes", args=[batch.pk, "rejected"]) + "?check=1"
    assert f'href="{link}"' in html
    assert not Customer.objects.exists()

    response = owner_client.get(link)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="import-{batch.pk}-rejected-check.csv"' in response["Content-Disposition"]
    assert csv_rows(response) == [
        ["Row", "Reason", "Name", "Phone", "Balance", "Notes"],
        ["2", "Phone “+44 7700 900123” is not a phone number.", "Ann Lee", "'+44 7700 900123", "'-5", "'=1+1"],
        ["4", "Phone “07700 900456” is not a phone number.", "Bob Stone", "07700 900456", "0", "'-2+3 call back"],
    ]
    # The check's notes are its own: the import's CSV has none yet.
    assert csv_rows(owner_client.get(reverse("imports:notes", args=[batch.pk, "rejected"]))) == [
        ["Row", "Reason", "Name", "Phone", "Balance", "Notes"]]


def test_the_import_shows_its_summary_keeps_formulas_as_text_and_lists_the_rejected(owner, owner_client):
    batch = uploaded(owner, b"Name,Phone,Notes\n=1+1 Ltd,(202) 555-0101,=1+1\nBob Stone,not a phone,@SUM(A1)\n")

    owner_client.post(batch.get_absolute_url(), choices(batch, action="import"))
    assert run_queued(batch).status == Status.DONE

    html = owner_client.get(batch.get_absolute_url()).content.decode()
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    assert counts == {"new": "1", "updated": "0", "skipped": "0", "rejected": "1"}
    assert Customer.objects.values_list("name", "key_points").get() == ("=1+1 Ltd", "=1+1")
    link = reverse("imports:notes", args=[batch.pk, "rejected"])
    assert f'href="{link}"' in html
    assert csv_rows(owner_client.get(link)) == [
        ["Row", "Reason", "Name", "Phone", "Notes"],
        ["3", "Phone “not a phone” is not a phone number.", "Bob Stone", "not a phone", "'@SUM(A1)"],
    ]


def test_the_notes_of_another_kind_are_not_found(owner, owner_client):
    batch = uploaded(owner, b"Name\nAnn\n")

    response = owner_client.get(reverse("imports:notes", args=[batch.pk, "created"]))

    assert response.status_code == 404


def test_undo_from_the_summary_page_removes_what_the_import_added(owner, owner_client):
    keep = CustomerFactory(name="Cara Cole")
    batch = uploaded(owner, b"Name,Phone\nAnn Lee,(202) 555-0101\nBob Stone,(202) 555-0102\n")
    owner_client.post(batch.get_absolute_url(), choices(batch, action="import"))
    run_queued(batch)
    undo = reverse("imports:undo", args=[batch.pk])
    assert f'action="{undo}"' in owner_client.get(batch.get_absolute_url()).content.decode()

    response = owner_client.post(undo)

    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert ImportBatch.objects.get(pk=batch.pk).phase == Phase.UNDO
    assert run_queued(batch).status == Status.UNDONE
    assert list(Customer.objects.all()) == [keep]
    html = owner_client.get(batch.get_absolute_url()).content.decode()
    assert "This import was undone" in html
    assert f'action="{undo}"' not in html


def test_undo_of_an_import_that_never_ran_says_there_is_nothing_to_undo(owner, owner_client):
    batch = uploaded(owner, b"Name\nAnn\n")

    response = owner_client.post(reverse("imports:undo", args=[batch.pk]), follow=True)

    assert "There is nothing of this import left to undo." in response.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.MAPPING


# ---- Progress ----------------------------------------------------------------------------------------------------


def test_the_progress_shows_the_wait_then_the_percent_then_asks_for_a_reload(owner, owner_client):
    batch = uploaded(owner, b"Name\nAnn\nBob\nCyd\nDee\n")
    owner_client.post(batch.get_absolute_url(), choices(batch, action="import"))
    progress = reverse("imports:progress", args=[batch.pk])

    html = owner_client.get(progress, HTTP_HX_REQUEST="true").content.decode()
    assert "Waiting for the worker to start…" in html and f'hx-get="{progress}"' in html

    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING, total_rows=4, done_rows=1)
    html = owner_client.get(progress, HTTP_HX_REQUEST="true").content.decode()
    assert "Importing: row 1 of 4…" in html and 'value="25"' in html and "25%" in html
    assert "Importing: row 1 of 4…" in owner_client.get(batch.get_absolute_url()).content.decode()

    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.QUEUED)
    run_queued(batch)
    response = owner_client.get(progress, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"


def test_the_progress_of_an_import_not_running_asked_without_htmx_shows_the_bar_without_polling(owner, owner_client):
    batch = uploaded(owner, b"Name\nAnn\n")

    response = owner_client.get(reverse("imports:progress", args=[batch.pk]))

    assert response.status_code == 200 and "HX-Refresh" not in response
    assert "hx-get" not in response.content.decode()


# ---- Who sees what -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "name", "kwargs"), [
    ("get", "imports:start", {}),
    ("post", "imports:start", {}),
    ("get", "imports:detail", {"pk": None}),
    ("post", "imports:detail", {"pk": None}),
    ("get", "imports:progress", {"pk": None}),
    ("post", "imports:undo", {"pk": None}),
    ("get", "imports:notes", {"pk": None, "kind": "rejected"}),
])
def test_a_field_worker_is_refused_every_import_page(owner, worker_client, method, name, kwargs):
    batch = uploaded(owner, b"Name\nAnn\n")
    url = reverse(name, kwargs={**kwargs, "pk": batch.pk} if kwargs else {})
    data = {"file": SimpleUploadedFile("c.csv", b"Name\nBob\n")} if name == "imports:start" else choices(batch)

    response = getattr(worker_client, method)(url, data if method == "post" else {})

    assert response.status_code == 403
    assert list(ImportBatch.objects.all()) == [batch]
    assert ImportBatch.objects.get().status == Status.MAPPING


def test_the_customer_list_shows_the_import_link_to_the_owner_only(owner_client, worker):
    link = f'href="{START}"'
    assert link in owner_client.get(reverse("customers:list")).content.decode()

    owner_client.force_login(worker)

    assert link not in owner_client.get(reverse("customers:list")).content.decode()


# ---- Query counts ------------------------------------------------------------------------------------------------

# The start page, whatever the number of past imports:
#  1. the session  2. the user  3. is the user an owner? (require_owner; the nav reuses it)
#  4. the recent imports, with who uploaded each
START_QUERIES = 4


@pytest.mark.parametrize("size", [2, 20])
def test_the_start_page_runs_a_fixed_number_of_queries(owner_client, django_assert_num_queries, size):
    for n in range(size):
        uploaded(UserFactory(username=f"uploader{n}", role="owner"), b"Name\nAnn\n", name=f"c{n}.csv")

    with django_assert_num_queries(START_QUERIES):
        response = owner_client.get(START)

    assert len(response.context["batches"]) == size


# The mapping page, whatever the number of rows and of customers they match:
#  1. the session  2. the user  3. is the user an owner? (the batch's check; the nav reuses it)
#  4. the batch  5. its file  6. the customers the preview's phones and emails match (those it created excluded)
MAPPING_QUERIES = 6


@pytest.mark.parametrize("size", [2, 20])
def test_the_mapping_page_runs_a_fixed_number_of_queries(owner, owner_client, django_assert_num_queries, size):
    lines = []
    for n in range(size):
        CustomerFactory(name=f"Person {n}", phone=f"+1202555{n + 100:04d}")
        lines.append(f"Person {n},(202) 555-{n + 100:04d},p{n}@example.com")
    batch = uploaded(owner, ("Name,Phone,Email\n" + "\n".join(lines) + "\n").encode())
    batch = services.batch_choose(batch=batch, sheet="", mapping=batch.mapping, date_order="", duplicates="fill")

    with django_assert_num_queries(MAPPING_QUERIES):
        response = owner_client.get(batch.get_absolute_url())

    assert [row.outcome for row in response.context["preview"].rows] == ["updated"] * size
