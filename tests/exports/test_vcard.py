"""/customers/<pk>/contact.vcf: "Save to my phone's contacts" on the card, read back by vobject and by the import."""

import pytest
import vobject
from django.urls import reverse

from customers.models import Customer
from imports.readers import open_table
from tests.factories import CustomerFactory


def _vcard(client, customer):
    return client.get(reverse("customers:vcard", args=[customer.pk]))


@pytest.fixture
def jose():
    return CustomerFactory(
        name="José Núñez", kind=Customer.Kind.HOUSEHOLD, company="", phone="+12025550101", alt_phone="+13035550199",
        email="jose@example.com", street="12 Elm St, Unit 4", town="Denver", postcode="80202",
        access_notes="Gate code 4321; dog called Rex", key_points="Big garden, side gate",
    )


def test_the_card_is_a_vcard_3_download_named_after_the_customer(worker_client, jose):
    response = _vcard(worker_client, jose)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jose-nunez.vcf"'
    assert vobject.readOne(response.content.decode()).version.value == "3.0"


def test_the_card_holds_the_name_phones_email_address_and_a_note_for_the_doorstep(worker_client, jose):
    card = vobject.readOne(_vcard(worker_client, jose).content.decode())

    assert card.fn.value == "José Núñez"
    assert (card.n.value.given, card.n.value.family) == ("José", "Núñez")
    phones = {tel.value: tel.params["TYPE"] for tel in card.tel_list}
    assert phones == {"+12025550101": ["CELL"], "+13035550199": ["HOME"]}
    assert card.email.value == "jose@example.com"
    address = card.adr.value
    assert (address.street, address.city, address.code) == ("12 Elm St, Unit 4", "Denver", "80202")
    assert card.note.value == "Access: Gate code 4321; dog called Rex\nBig garden, side gate"
    assert "org" not in card.contents


def test_a_business_has_its_company_and_a_work_number(worker_client):
    customer = CustomerFactory(name="Mia Lane", kind=Customer.Kind.BUSINESS, company="Lane Gardens Ltd",
                               alt_phone="+13035550100")

    card = vobject.readOne(_vcard(worker_client, customer).content.decode())

    assert card.org.value == ["Lane Gardens Ltd"]
    assert [tel.params["TYPE"] for tel in card.tel_list] == [["CELL"], ["WORK"]]


def test_a_customer_with_only_a_name_still_makes_a_card(worker_client):
    customer = CustomerFactory(name="Cher", phone="", email="", street="", town="")

    card = vobject.readOne(_vcard(worker_client, customer).content.decode())

    assert card.fn.value == "Cher"
    assert not {"tel", "email", "adr", "note"} & set(card.contents)


def test_the_import_reads_back_the_same_name_phone_email_and_address(worker_client, jose):
    table = open_table(_vcard(worker_client, jose).content)

    row = dict(zip(table.header, next(iter(table.rows())).cells, strict=True))
    assert (row["Name"], row["First name"], row["Last name"]) == ("José Núñez", "José", "Núñez")
    assert (row["Mobile"], row["Other phone"], row["Email"]) == ("+12025550101", "+13035550199", "jose@example.com")
    assert (row["Street"], row["Town"], row["Postcode"]) == ("12 Elm St, Unit 4", "Denver", "80202")


def test_a_customer_that_does_not_exist_is_not_found(worker_client):
    assert worker_client.get(reverse("customers:vcard", args=[999_999])).status_code == 404


def test_the_customer_card_offers_to_save_the_contact(worker_client, jose):
    page = worker_client.get(reverse("customers:detail", args=[jose.pk])).content.decode()

    assert f'href="{reverse("customers:vcard", args=[jose.pk])}"' in page
    assert "Save to my phone's contacts" in page
