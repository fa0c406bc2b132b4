"""Exporting the customers to CSV (or .xlsx) and importing that file into an empty book gives every exported field back."""

import datetime

import pytest
from django.urls import reverse

from customers.models import Customer, Tag
from imports import services
from imports.models import ImportBatch, Phase, Status
from tests.exports.files import body, csv_rows
from tests.factories import CustomerFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(db):
    sam = UserFactory(username="sam", first_name="Sam", last_name="Field")
    lee = UserFactory(username="lee", first_name="", last_name="")  # no full name: the export names them by username
    vip, garden = TagFactory(name="VIP"), TagFactory(name="garden")
    CustomerFactory(
        name="José Núñez", company="Núñez Gardens", kind=Customer.Kind.BUSINESS, status=Customer.Status.LEAD,
        phone="+12025550101", alt_phone="+12025550199", email="jose@example.com",
        preferred_contact=Customer.ContactMethod.TEXT, do_not_contact=True, street="12 Elm St, Unit 4",
        town="Denver", postcode="80202", access_notes="Gate 4321\nDog: Rex", key_points="=1+1 is what they say",
        personality="Chatty", wants="A tidy hedge", needs="Weekly mowing", hard_needs="Edges", soft_needs="Call first",
        source=Customer.Source.REFERRAL, tags=[vip, garden], assigned_to=sam, contact_every_days=30,
        customer_since=datetime.date(2019, 4, 1), happy_to_be_reference=True, happy_to_try_new=False,
    )
    CustomerFactory(name="@home Ann", phone="", email="", assigned_to=lee, status=Customer.Status.LOST,
                    source=Customer.Source.UNKNOWN, customer_since=datetime.date(2024, 12, 31), happy_to_try_new=True)
    CustomerFactory(name="Bo Plain", phone="+12025550123", tags=[garden], status=Customer.Status.INACTIVE,
                    kind=Customer.Kind.HOUSEHOLD, preferred_contact=Customer.ContactMethod.EMAIL,
                    email="BO@Example.com", source=Customer.Source.WEBSITE)


def _without_ids(rows):
    return sorted(row[1:] for row in rows[1:])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_customer_export_imported_into_an_empty_book_gives_every_field_back(owner, owner_client, book, kind):
    exported = owner_client.get(reverse(f"exports:customers_{kind}"))
    data = body(exported) if kind == "csv" else b"".join(exported)
    before = csv_rows(owner_client.get(reverse("exports:customers_csv")))

    Customer.objects.all().delete()
    Tag.objects.all().delete()
    batch = services.batch_create(filename=f"customers.{kind}", data=data, created_by=owner)
    assert batch.mapping[0] == "" and "" not in batch.mapping[1:], "every column but the id is read"
    services.run_start(batch=batch, phase=Phase.IMPORT)
    services.run(batch.pk)
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.status == Status.DONE and (batch.created_count, batch.rejected_count) == (3, 0)

    after = csv_rows(owner_client.get(reverse("exports:customers_csv")))
    assert after[0] == before[0]
    assert _without_ids(after) == _without_ids(before)
