"""The Insights page and its CSVs: who sees what, the filters, the CSV matching the page, constant queries."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights.page import MONEY_TABLES, TABLES
from tests.factories import FollowUpFactory, UserFactory
from tests.feedback.factories import FeedbackFactory

from .factories import at, customer, interaction

NOW = "2026-06-15 12:00 +00:00"
PAGE = reverse("insights:page")

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def csv_url(table, **query):
    url = reverse("insights:csv", args=[table])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def book(size: int, user):
    """`size` customers with money, durations, follow-ups and feedback, all inside the default period."""
    for i in range(size):
        c = customer(f"Customer {i:03d}", assigned_to=user, happy_to_be_reference=True, happy_to_try_new=True)
        for day in (1, 2, 3):
            interaction(c, user=user, when=at(f"2026-06-0{day} {9 + i % 8:02d}:15"), charged=f"{1234 + i}.50",
                        refunded="1", minutes=30, attitude=5, more_services_ideas="Gutters" if day == 1 else "",
                        channel="visit" if day == 2 else "call", resolved_first_contact=day == 3)
        interaction(c, user=user, when=at("2025-10-01 10:00"), charged="1")
        customer(f"Referred {i:03d}", referred_by=c, since=datetime.date(2026, 6, 1))
        FollowUpFactory(customer=c, assigned_to=user, due_date=datetime.date(2026, 6, 5),
                        done_at=at("2026-06-06 10:00"))
        FeedbackFactory(customer=c, rating=4, likes=["Tidy"], received_at=at("2026-06-02 10:00"))


def test_the_owner_sees_all_ten_blocks(owner_client, owner):
    book(2, owner)

    page = owner_client.get(PAGE)

    assert page.status_code == 200
    assert [block.key for block in page.context["blocks"]] == [
        "revenue", "business", "costs", "durations", "peaks", "first_contact", "asking", "advocates", "potential",
        "team"]
    html = page.content.decode()
    assert "2 customers (100 %) bring 80 % of your revenue" in html
    assert "3,700.50" in html  # three times 1,234.50 less a refund of 1


def test_a_field_worker_sees_the_page_without_money(worker_client, worker):
    book(2, worker)

    page = worker_client.get(PAGE)

    assert page.status_code == 200
    keys = [block.key for block in page.context["blocks"]]
    assert "revenue" not in keys and "costs" not in keys and len(keys) == 8
    html = page.content.decode()
    # No amount of money anywhere: the owner's blocks would show "2,469.00"-like figures
    assert re.findall(r"\d,\d{3}\.\d{2}|\b\d+\.\d{2}\b", html) == []
    assert "bring 80 %" not in html
    assert "Revenue" not in html


@pytest.mark.parametrize("table", sorted(MONEY_TABLES))
def test_a_field_worker_gets_403_on_the_money_csvs(worker_client, table):
    assert worker_client.get(csv_url(table)).status_code == 403


def test_a_field_worker_gets_the_other_csvs_without_money_rows_or_columns(worker_client, worker):
    book(2, worker)

    business = rows_of(worker_client.get(csv_url("business")))
    potential = rows_of(worker_client.get(csv_url("potential")))

    assert not any("Revenue" in row[0] for row in business)
    assert potential[0] == ["Customer", "Idea for offering more", "Last attitude"]


def test_an_unknown_table_is_404(owner_client):
    assert owner_client.get(csv_url("no-such-table")).status_code == 404


@pytest.mark.parametrize("table", sorted(TABLES))
def test_each_csv_holds_exactly_the_table_on_the_page(owner_client, owner, table):
    book(3, owner)

    page = owner_client.get(PAGE, {"period": "30"})
    response = owner_client.get(csv_url(table, period="30"))

    shown = next(t for block in page.context["blocks"] for t in block.tables if t.slug == table)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert rows_of(response) == [shown.headers] + [[cell.text for cell in row] for row in shown.rows]
    assert f'data-table="{table}"' in page.content.decode()


def test_a_csv_cell_that_looks_like_a_formula_stays_text(owner_client, owner):
    c = customer("=HYPERLINK(1)")
    interaction(c, user=owner, when=at("2026-06-01 10:00"), charged="10")

    rows = rows_of(owner_client.get(csv_url("revenue")))

    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_period_and_the_member_narrow_the_figures(owner_client, owner, worker):
    interaction(customer("Mine"), user=worker, when=at("2026-06-10 10:00"), charged="100")
    interaction(customer("Hers"), user=owner, when=at("2026-06-10 10:00"), charged="50")
    interaction(customer("Old"), user=worker, when=at("2026-01-10 10:00"), charged="70")

    def names(**query):
        return [row[0] for row in rows_of(owner_client.get(csv_url("revenue", **query)))[1:]]

    assert names() == ["Mine", "Hers"]
    assert names(member=worker.pk) == ["Mine"]
    assert names(period="365") == ["Mine", "Old", "Hers"]
    assert names(period="custom", date_from="2026-01-01", date_to="2026-01-31") == ["Old"]


@pytest.mark.parametrize("query", [
    {"period": "7"}, {"period": "custom"}, {"period": "custom", "date_from": "2026-02-01", "date_to": "2026-01-01"},
    {"period": "custom", "date_from": "1999-01-01", "date_to": "2026-01-01"},
    {"period": "custom", "date_from": "2020-01-01", "date_to": "2026-01-01"}, {"member": "9" * 40},
    {"date_from": "9999-12-31"},
])
def test_a_wrong_filter_is_said_beside_its_field_and_the_last_90_days_are_shown(owner_client, query):
    page = owner_client.get(PAGE, query)

    assert page.status_code == 200
    assert page.context["period"].days == 90
    if query != {"date_from": "9999-12-31"}:
        assert page.context["form"].errors


def test_the_nav_links_to_insights_for_everyone(worker_client):
    assert f'href="{PAGE}"' in worker_client.get(reverse("customers:list")).content.decode()


@pytest.mark.parametrize("role", ["owner", "field_worker"])
def test_the_page_runs_the_same_number_of_queries_for_2_and_8_customers(client, role):
    user = UserFactory(username="viewer", role=role)
    client.force_login(user)
    counts = []
    for size in (2, 8):
        book(size if not counts else size - 2, user)
        client.get(PAGE)  # the session, the settings row and the user's groups are read once and cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
