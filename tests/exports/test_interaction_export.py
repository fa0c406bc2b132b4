"""/exports/interactions.csv and .xlsx: the period, the team member and the customer list's filters; money for
the owner only."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import Customer
from tests.exports.files import body, csv_rows, xlsx_rows
from tests.factories import CustomerFactory, InteractionFactory, TagFactory, UserFactory

CSV = reverse("exports:interactions_csv")
XLSX = reverse("exports:interactions_xlsx")
MONEY = ["Amount charged", "Amount refunded"]
DENVER = datetime.timezone(datetime.timedelta(hours=-7))  # Mountain Standard Time, as in November


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on a November 2026 day, Denver's clock."""
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=DENVER)


@pytest.fixture
def denver(owner, worker):
    for user in (owner, worker):
        user.time_zone = "America/Denver"
        user.save(update_fields=["time_zone"])


def _column(rows, name) -> list:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_the_owner_gets_the_money_columns(owner_client):
    InteractionFactory(amount_charged=Decimal("120.50"), amount_refunded=Decimal("20.00"))

    rows = csv_rows(owner_client.get(CSV))

    assert rows[0][-2:] == MONEY
    assert rows[1][-2:] == ["120.50", "20.00"]


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_a_field_workers_export_has_no_money_column(worker_client, url):
    InteractionFactory(amount_charged=Decimal("987.65"), amount_refunded=Decimal("43.21"))

    response = worker_client.get(url)

    rows = csv_rows(response) if url == CSV else xlsx_rows(response)
    assert not set(MONEY) & set(rows[0])
    assert len(rows[0]) == len(rows[1]) == 17
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert "987" not in flat and "43.21" not in flat


def test_the_owners_workbook_has_the_money_as_numbers(owner_client):
    InteractionFactory(amount_charged=Decimal("120.50"))

    rows = xlsx_rows(owner_client.get(XLSX))

    assert rows[0][-2:] == MONEY
    assert rows[1][-2:] == [120.5, 0]


@pytest.mark.usefixtures("denver")
def test_an_interaction_is_written_in_the_users_own_time(owner_client, worker):
    customer = CustomerFactory(name="Mia Lane", company="Lane Ltd", kind=Customer.Kind.BUSINESS)
    interaction = InteractionFactory(
        customer=customer, user=worker, channel="visit", direction="outbound", occurred_at=_at(20, 17, 45),
        duration_seconds=5400, asked_for="=cmd|' /C calc'!A0", attitude=4, asked_for_sale=True,
        resolved_first_contact=True,
    )

    rows = csv_rows(owner_client.get(CSV))

    assert rows[1] == [
        str(interaction.pk), str(customer.pk), "Mia Lane (Lane Ltd)", "2026-11-20 17:45", "Will Worker", "Visit",
        "We contacted them", "90", "'=cmd|' /C calc'!A0", "Happy", "", "", "", "yes", "no", "", "yes", "0.00",
        "0.00",
    ]


@pytest.mark.usefixtures("denver")
def test_the_dates_are_whole_days_in_the_users_time_zone(worker_client):
    InteractionFactory(asked_for="before", occurred_at=_at(19, 23, 59))
    InteractionFactory(asked_for="first", occurred_at=_at(20, 0, 0))
    InteractionFactory(asked_for="late", occurred_at=_at(21, 23, 30))  # 06:30 on the 22nd in UTC
    InteractionFactory(asked_for="after", occurred_at=_at(22, 0, 0))

    rows = csv_rows(worker_client.get(CSV, {"date_from": "2026-11-20", "date_to": "2026-11-21"}))

    assert _column(rows, "What did they ask for?") == ["first", "late"]


def test_one_team_members_interactions(worker_client, worker, owner):
    InteractionFactory(user=worker, asked_for="mine")
    InteractionFactory(user=owner, asked_for="the owner's")

    rows = csv_rows(worker_client.get(CSV, {"member": worker.pk}))

    assert _column(rows, "What did they ask for?") == ["mine"]


def test_the_customer_lists_filters_choose_the_customers(worker_client):
    hedges = TagFactory(name="hedges")
    InteractionFactory(customer=CustomerFactory(name="Mia Lane", tags=[hedges]), asked_for="mia")
    InteractionFactory(customer=CustomerFactory(name="Mia Lost", status="lost", tags=[hedges]), asked_for="lost")
    # No made-up street or town: one such as "Miami" would match the search for "mia" too.
    InteractionFactory(customer=CustomerFactory(name="Ann Lee", phone="+12025550123", street="", town=""),
                       asked_for="ann")

    def asked(query):
        return _column(csv_rows(worker_client.get(CSV, query)), "What did they ask for?")

    assert asked({"q": "mia", "status": "active"}) == ["mia"]
    assert asked({"tag": hedges.pk}) == ["mia", "lost"]
    assert asked({"q": "0123"}) == ["ann"]


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"date_from": "2026-02-30"}, "date_from", "Enter a valid date."),
    ({"date_from": "0001-01-01"}, "date_from", "Choose a date between the years 1900 and 2999."),
    ({"date_from": "2026-11-21", "date_to": "2026-11-20"}, "date_to", "The end comes before the start."),
    ({"member": "1" * 5000}, "member", "Select a valid choice."),
])
def test_a_value_it_cannot_take_shows_the_export_page_with_the_reason_and_no_file(worker_client, query, field,
                                                                                     message):
    InteractionFactory()

    response = worker_client.get(CSV, query)

    assert response["Content-Type"].startswith("text/html")
    assert message in response.context["form"].errors[field][0]


@pytest.mark.parametrize("url", [CSV, XLSX])
@pytest.mark.parametrize("count", [10, 50])
def test_the_export_runs_the_same_queries_for_10_or_50_interactions(owner_client, url, count):
    customers = CustomerFactory.create_batch(5, status="active")
    members = UserFactory.create_batch(3)
    for i in range(count):
        InteractionFactory(customer=customers[i % 5], user=members[i % 3])

    with CaptureQueriesContext(connection) as queries:
        response = owner_client.get(url, {"status": "active"})
        assert len(csv_rows(response) if url == CSV else xlsx_rows(response)) == count + 1

    # 1. the session  2. the user  3. is the user the owner? (the money)  4. the interactions, with their
    # customers and users, for the chosen customers (a sub-query)
    assert len(queries) == 4


def test_the_files_are_named_interactions(worker_client):
    response = worker_client.get(XLSX)

    assert response["Content-Disposition"].startswith('attachment; filename="interactions-')
    assert body(response).startswith(b"PK")
