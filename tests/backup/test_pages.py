"""The owner's backup page and download, and one customer's data: the owner's alone."""

import csv
import io

import pytest
from django.apps import apps
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import ActionStep
from customers.models import Customer
from feedback.models import FeedbackItem
from interactions.models import Interaction
from tests.backup.conftest import MOMENT, manifest_of, read_zip
from tests.factories import CustomerFactory

pytestmark = pytest.mark.clock(MOMENT)


def csv_rows(archive, name: str) -> list[dict]:
    return list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8-sig", newline="")))


def test_the_owner_finds_the_download_on_the_backup_page(owner_client):
    page = owner_client.get(reverse("backup:page"))

    assert page.status_code == 200
    assert reverse("backup:download") in page.content.decode()


@pytest.mark.parametrize("name", ["backup:page", "backup:download"])
def test_a_field_worker_gets_403(worker_client, name):
    assert worker_client.get(reverse(name)).status_code == 403


def test_the_download_is_a_zip_that_streams(world, owner_client):
    response = owner_client.get(reverse("backup:download"))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="servicecrm-backup-')
    manifest = manifest_of(b"".join(response.streaming_content))
    assert manifest["models"]["customers.customer"]["count"] == 4


def test_the_download_starts_before_any_table_is_read(world, owner_client):
    response = owner_client.get(reverse("backup:download"))

    with CaptureQueriesContext(connection) as queries:
        first = next(iter(response.streaming_content))

    assert first.startswith(b"PK\x03\x04")  # a zip's first file begins
    assert [query["sql"] for query in queries if 'FROM "accounts_user"' in query["sql"]] == []


def test_rows_are_handed_out_as_they_are_read(owner_client):
    Customer.objects.bulk_create(Customer(name=f"Customer {n}", sort_name=f"customer {n}") for n in range(4500))

    chunks = list(owner_client.get(reverse("backup:download")).streaming_content)

    # The customers alone come in several pieces (one every 2,000 rows), not all at the end.
    assert len(chunks) >= 4
    assert manifest_of(b"".join(chunks))["models"]["customers.customer"]["count"] == 4500


# One customer's data

def test_the_card_offers_the_owner_to_export_their_data(owner, worker):
    customer = CustomerFactory()
    link = reverse("backup:customer_data", args=[customer.pk])
    as_owner, as_worker = Client(), Client()
    as_owner.force_login(owner)
    as_worker.force_login(worker)

    assert link in as_owner.get(customer.get_absolute_url()).content.decode()
    assert link not in as_worker.get(customer.get_absolute_url()).content.decode()


def test_the_export_page_says_what_is_in_it_and_where_to_erase_them(world, owner_client):
    mia = world["mia"]

    page = owner_client.get(reverse("backup:customer_data", args=[mia.pk])).content.decode()

    assert "2 interactions" in page
    assert reverse("backup:customer_data_zip", args=[mia.pk]) in page
    assert reverse("trash:customer_delete", args=[mia.pk]) in page


@pytest.mark.parametrize("name", ["backup:customer_data", "backup:customer_data_zip"])
def test_a_field_worker_cannot_export_a_customer(world, worker_client, name):
    assert worker_client.get(reverse(name, args=[world["mia"].pk])).status_code == 403


def test_an_unknown_customer_is_not_found(owner_client):
    assert owner_client.get(reverse("backup:customer_data_zip", args=[999_999])).status_code == 404


def test_one_customers_zip_holds_exactly_their_rows_and_their_history(world, owner_client):
    mia, plan = world["mia"], world["plan"]
    gone = Interaction.objects.filter(customer=mia).order_by("pk").last()
    gone_pk = gone.pk
    gone.delete()  # an interaction deleted earlier: its history is still theirs

    response = owner_client.get(reverse("backup:customer_data_zip", args=[mia.pk]))

    assert isinstance(response, StreamingHttpResponse)
    archive = read_zip(b"".join(response.streaming_content))
    manifest = manifest_of(archive.fp.getvalue())
    found = {label: {row[apps.get_model(label)._meta.pk.attname] for row in csv_rows(archive, entry["file"])}
             for label, entry in manifest["models"].items()}
    ids = {key: {str(pk) for pk in values} for key, values in {
        "customers.customer": [mia.pk],
        "customers.tag": mia.tags.values_list("pk", flat=True),
        "customers.customer_tags": Customer.tags.through.objects.filter(customer=mia).values_list("pk", flat=True),
        "interactions.interaction": mia.interactions.values_list("pk", flat=True),
        "followups.followup": mia.followups.values_list("pk", flat=True),
        "feedback.feedback": [world["feedback"].pk],
        "feedback.feedbackitem": FeedbackItem.objects.filter(feedback__customer=mia).values_list("pk", flat=True),
        "feedback.feedbackrequest": mia.feedback_requests.values_list("pk", flat=True),
        "actionplans.actionplan": [plan.pk],
        "actionplans.actionstep": ActionStep.objects.filter(plan=plan).values_list("pk", flat=True),
    }.items()}
    assert {label: rows for label, rows in found.items() if not label.split(".")[1].startswith("historical")} == ids
    history = {label: rows for label, rows in found.items() if label.split(".")[1].startswith("historical")}
    assert history["customers.historicalcustomer"] == {
        str(pk) for pk in Customer.history.filter(id=mia.pk).values_list("history_id", flat=True)}
    assert history["interactions.historicalinteraction"] == {
        str(pk) for pk in Interaction.history.filter(customer_id=mia.pk).values_list("history_id", flat=True)}
    assert str(gone_pk) in {row["id"] for row in csv_rows(archive, "interactions.historicalinteraction.csv")}
    assert set(history) == {"customers.historicalcustomer", "interactions.historicalinteraction",
                            "followups.historicalfollowup", "feedback.historicalfeedback",
                            "actionplans.historicalactionplan", "actionplans.historicalactionstep"}


def test_one_customers_zip_explains_itself_and_runs_no_formula(world, owner_client):
    mia = world["mia"]

    archive = read_zip(b"".join(owner_client.get(reverse("backup:customer_data_zip",
                                                         args=[mia.pk])).streaming_content))

    readme = archive.read("README.txt").decode()
    assert "Mía Lañe" in readme
    assert "customers.customer.csv: 1 customer" in readme
    (row,) = csv_rows(archive, "customers.customer.csv")
    assert row["key_points"].startswith("'=SUM(A1)")
    assert row["name"] == mia.name
