"""/exports/followups.csv and .xlsx: open or done, due dates, the assignee and the customer list's filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.exports.files import csv_rows, xlsx_rows
from tests.factories import CustomerFactory, FollowUpFactory, TagFactory

CSV = reverse("exports:followups_csv")
XLSX = reverse("exports:followups_xlsx")
DAY = datetime.date(2026, 11, 20)


def _described(rows) -> list[str]:
    index = rows[0].index("What to do")
    return [row[index] for row in rows[1:]]


@pytest.fixture
def followups(worker, owner):
    hedges = TagFactory(name="hedges")
    # No made-up streets or towns: "Annville" would match the search for "ann" too.
    mia = CustomerFactory(name="Mia Lane", tags=[hedges], street="", town="")
    ann = CustomerFactory(name="Ann Lee", street="", town="")
    FollowUpFactory(customer=mia, assigned_to=worker, due_date=DAY, description="open, mine, due on the 20th")
    FollowUpFactory(customer=mia, assigned_to=owner, due_date=DAY + datetime.timedelta(days=1),
                    description="done, the owner's, due on the 21st",
                    done_at=datetime.datetime(2026, 11, 21, 16, 30, tzinfo=datetime.UTC), done_by=owner,
                    outcome="Booked")
    FollowUpFactory(customer=ann, assigned_to=worker, due_date=DAY + datetime.timedelta(days=5),
                    description="open, mine, Ann's, due on the 25th")


@pytest.mark.usefixtures("followups")
@pytest.mark.parametrize(("query", "described"), [
    ({}, ["open, mine, due on the 20th", "done, the owner's, due on the 21st", "open, mine, Ann's, due on the 25th"]),
    ({"state": "open"}, ["open, mine, due on the 20th", "open, mine, Ann's, due on the 25th"]),
    ({"state": "done"}, ["done, the owner's, due on the 21st"]),
    ({"date_from": "2026-11-21", "date_to": "2026-11-25"},
     ["done, the owner's, due on the 21st", "open, mine, Ann's, due on the 25th"]),
    ({"date_to": "2026-11-20"}, ["open, mine, due on the 20th"]),
    ({"q": "ann"}, ["open, mine, Ann's, due on the 25th"]),
    ({"tag": "hedges", "state": "open"}, ["open, mine, due on the 20th"]),
])
def test_the_choices_pick_the_follow_ups(worker_client, query, described):
    if "tag" in query:
        query = {**query, "tag": TagFactory(name="hedges").pk}

    assert _described(csv_rows(worker_client.get(CSV, query))) == described


@pytest.mark.usefixtures("followups")
def test_one_team_members_follow_ups(worker_client, owner):
    assert _described(csv_rows(worker_client.get(CSV, {"member": owner.pk}))) == ["done, the owner's, due on the 21st"]


@pytest.mark.usefixtures("followups")
def test_a_done_follow_up_says_when_by_whom_and_how_it_went(worker_client):
    rows = csv_rows(worker_client.get(CSV, {"state": "done"}))

    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Customer"], row["Due"], row["Assigned to"], row["Attempts"]) == ("Mia Lane", "2026-11-21",
                                                                                   "Olivia Owner", "1")
    assert (row["Done"], row["Done by"], row["Outcome"]) == ("2026-11-21 16:30", "Olivia Owner", "Booked")


@pytest.mark.usefixtures("followups")
def test_the_workbook_has_the_same_follow_ups_with_real_dates(worker_client):
    rows = xlsx_rows(worker_client.get(XLSX, {"state": "open"}))

    assert rows[0][:5] == ["Id", "Customer id", "Customer", "What to do", "Due"]
    assert [(row[3], row[4]) for row in rows[1:]] == [("open, mine, due on the 20th", datetime.datetime(2026, 11, 20)),
                                                      ("open, mine, Ann's, due on the 25th",
                                                       datetime.datetime(2026, 11, 25))]


def test_a_state_it_does_not_know_is_refused_beside_the_field(worker_client):
    FollowUpFactory(due_date=timezone.localdate())

    response = worker_client.get(CSV, {"state": "later"})

    assert response["Content-Type"].startswith("text/html")
    assert "state" in response.context["form"].errors
