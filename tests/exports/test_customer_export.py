"""/exports/customers.csv and .xlsx: the customer list's own rows, every page of them, in the import's columns."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import Customer
from tests.exports.files import body, csv_rows, xlsx_rows, xlsx_sheet
from tests.factories import CustomerFactory, TagFactory, UserFactory

CSV = reverse("exports:customers_csv")
XLSX = reverse("exports:customers_xlsx")
LIST = reverse("customers:list")

HEADER = [
    "Id", "Name", "Company", "Household or business", "Status", "Phone", "Other phone", "Email", "Preferred contact",
    "Do not contact", "Street address", "Town or city", "Postcode", "Access notes", "Key points", "Personality",
    "What they want", "What they need", "Hard needs", "Soft needs", "How they found us", "Tags", "Looked after by",
    "Stay in touch every (days)", "Customer since", "Happy to be a reference", "Happy to try new services",
]


def _full_customer():
    return CustomerFactory(
        name="José Núñez", company="Núñez Gardens", kind=Customer.Kind.BUSINESS, status=Customer.Status.LEAD,
        phone="+12025550101", alt_phone="+12025550199", email="jose@example.com",
        preferred_contact=Customer.ContactMethod.TEXT, do_not_contact=True, street="12 Elm St, Unit 4",
        town="Denver", postcode="80202", access_notes="Gate 4321\nDog: Rex", key_points="Big garden",
        personality="Chatty", wants="A tidy hedge", needs="Weekly mowing", hard_needs="Edges", soft_needs="Call first",
        source=Customer.Source.REFERRAL, tags=[TagFactory(name="weekly"), TagFactory(name="VIP"),
                                               TagFactory(name="garden")],
        assigned_to=UserFactory(username="sam", first_name="Sam", last_name="Field"), contact_every_days=30,
        customer_since=datetime.date(2019, 4, 1), happy_to_be_reference=True, happy_to_try_new=False,
    )


def test_the_header_is_the_one_the_import_reads(worker_client):
    CustomerFactory()

    rows = csv_rows(worker_client.get(CSV))

    assert rows[0] == HEADER


def test_a_customer_is_written_with_labels_yes_no_iso_dates_e164_phones_and_sorted_tags(worker_client):
    customer = _full_customer()

    rows = csv_rows(worker_client.get(CSV))

    assert rows[1:] == [[
        str(customer.pk), "José Núñez", "Núñez Gardens", "Business", "Lead", "+12025550101", "+12025550199",
        "jose@example.com", "Text message", "yes", "12 Elm St, Unit 4", "Denver", "80202", "Gate 4321\nDog: Rex",
        "Big garden", "Chatty", "A tidy hedge", "Weekly mowing", "Edges", "Call first", "Referred by a customer",
        "garden, VIP, weekly", "Sam Field", "30", "2019-04-01", "yes", "no",
    ]]


def test_empty_values_are_empty_cells_and_a_user_without_a_full_name_is_shown_by_username(worker_client):
    CustomerFactory(name="Ann", phone="", email="", street="", town="", assigned_to=UserFactory(
        username="kim", first_name="", last_name=""))

    row = dict(zip(HEADER, csv_rows(worker_client.get(CSV))[1], strict=True))

    assert (row["Phone"], row["Email"], row["Tags"], row["Stay in touch every (days)"]) == ("", "", "", "")
    assert row["How they found us"] == "Unknown"
    assert row["Looked after by"] == "kim"


@pytest.fixture
def listed(settings):
    """Customers to search among; the list shows them all on one page, to compare with the export."""
    settings.CUSTOMERS_PER_PAGE = 100
    hedges = TagFactory(name="hedges")
    CustomerFactory(name="Mia Lane", phone="+12025550123", status=Customer.Status.ACTIVE, tags=[hedges])
    CustomerFactory(name="Mia Stone", phone="+13035550124", status=Customer.Status.LEAD, tags=[hedges])
    CustomerFactory(name="Ann Lee", phone="+12025559876", alt_phone="+17205550123", status=Customer.Status.ACTIVE)
    CustomerFactory(name="Bob Lane", phone="+12025551111", status=Customer.Status.LOST, tags=[hedges])
    return {"hedges": hedges.pk}


@pytest.mark.parametrize("query", [
    {"q": "mia"},
    {"q": "0123"},  # four digits of a phone, found in either number
    {"q": "lane", "status": "lost"},
    {"status": "active"},
    {"tag": "hedges"},
    {"q": "mia", "status": "lead", "tag": "hedges"},
    {"tag": "not a number"},  # dropped, as the list drops it: every customer
    {},
])
def test_the_export_has_exactly_the_rows_of_the_list(worker_client, listed, query):
    query = {key: listed.get(value, value) for key, value in query.items()}
    shown = [c.pk for c in worker_client.get(LIST, query).context["page"].customers]

    exported = [int(row[0]) for row in csv_rows(worker_client.get(CSV, query))[1:]]

    assert exported == shown
    assert 0 < len(exported) <= 4


def test_the_export_has_every_page_of_the_list(worker_client, settings):
    settings.CUSTOMERS_PER_PAGE = 5
    CustomerFactory.create_batch(12)

    rows = csv_rows(worker_client.get(CSV))

    assert len(rows) == 1 + 12


def test_a_search_with_control_characters_is_refused_with_the_lists_message_and_no_file(worker_client):
    CustomerFactory(name="Ann Lee")

    response = worker_client.get(CSV, {"q": "an\x00n"})

    assert response["Content-Type"].startswith("text/html")
    assert "Remove the control characters from the search." in response.content.decode()


def test_a_name_typed_as_a_formula_stays_text_in_the_csv(worker_client):
    CustomerFactory(name="=HYPERLINK(\"http://evil.example\")", company="@SUM(A1)", key_points="-1+2",
                    access_notes="+cmd", email="")

    row = dict(zip(HEADER, csv_rows(worker_client.get(CSV))[1], strict=True))

    assert row["Name"] == "'=HYPERLINK(\"http://evil.example\")"
    assert (row["Company"], row["Key points"], row["Access notes"]) == ("'@SUM(A1)", "'-1+2", "'+cmd")


def test_a_name_typed_as_a_formula_stays_text_in_the_workbook(worker_client):
    CustomerFactory(name="=1+1", company="@SUM(A1)", key_points="-1+2", email="")

    sheet = xlsx_sheet(worker_client.get(XLSX))

    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = {cell.value for cell in cells}
    assert {"'=1+1", "'@SUM(A1)", "'-1+2"} <= values


def test_the_workbook_holds_the_same_rows_as_the_csv(worker_client):
    customer = _full_customer()
    CustomerFactory(name="Ann Lee")

    rows = xlsx_rows(worker_client.get(XLSX))

    assert xlsx_sheet(worker_client.get(XLSX)).title == "Customers"
    assert rows[0] == HEADER
    assert [row[1] for row in rows[1:]] == ["Ann Lee", "José Núñez"]
    jose = dict(zip(HEADER, rows[2], strict=True))
    assert jose["Id"] == customer.pk
    assert jose["Customer since"] == datetime.datetime(2019, 4, 1)
    assert (jose["Tags"], jose["Do not contact"], jose["Stay in touch every (days)"]) == ("garden, VIP, weekly", "yes", 30)


@pytest.mark.clock("2026-12-01 10:00 +00:00")
@pytest.mark.parametrize(("url", "content_type", "filename"), [
    (CSV, "text/csv; charset=utf-8", "customers-2026-12-01.csv"),
    (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "customers-2026-12-01.xlsx"),
])
def test_the_file_is_a_download_named_by_todays_date(worker_client, url, content_type, filename):
    CustomerFactory()

    response = worker_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.django_db
@pytest.mark.clock("2026-12-01 03:00 +00:00")
def test_the_date_in_the_name_is_the_users_own(client):
    user = UserFactory(username="denver", role="field_worker", time_zone="America/Denver")
    client.force_login(user)

    response = client.get(CSV)

    assert response["Content-Disposition"] == 'attachment; filename="customers-2026-11-30.csv"'


def test_the_csv_streams(worker_client):
    response = worker_client.get(CSV)

    assert response.streaming
    assert body(response).startswith(b"\xef\xbb\xbfId,Name,")


def _queries_for_an_export(client, url, count) -> int:
    tags = [TagFactory(name=f"tag {i}") for i in range(5)]
    for i in range(count):
        CustomerFactory(tags=tags[: i % 5 + 1], assigned_to=UserFactory(username=f"member{i % 3}"))
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(client.get(url)) if url == CSV else xlsx_rows(client.get(url))
    assert len(rows) == count + 1
    return len(queries)


# Whatever the number of customers (up to a chunk of 2,000):
#  1. the session  2. the user  3. the customers with who looks after them  4. their tags
@pytest.mark.parametrize("url", [CSV, XLSX])
@pytest.mark.parametrize("count", [10, 50])
def test_the_export_runs_the_same_queries_for_10_or_50_customers(worker_client, url, count):
    assert _queries_for_an_export(worker_client, url, count) == 4
