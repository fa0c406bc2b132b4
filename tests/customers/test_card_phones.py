"""Phone numbers are formatted once, when saved (Customer.phone_display), not parsed at every render (issue 16)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from phonenumber_field.phonenumber import PhoneNumber

from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_saving_stores_each_number_as_the_pages_show_it():
    customer = CustomerFactory(phone="+13035552176", alt_phone="+442079460018")

    customer.refresh_from_db()
    assert customer.phone_display == "(303) 555-2176" == PhoneNumber.from_string("+13035552176").as_national
    assert customer.alt_phone_display == "020 7946 0018"
    assert customer.phone_e164 == "+13035552176"
    assert customer.alt_phone_e164 == "+442079460018"


def test_a_customer_without_numbers_has_nothing_to_show():
    customer = CustomerFactory(phone="", alt_phone="")

    customer.refresh_from_db()
    assert (customer.phone_display, customer.alt_phone_display) == ("", "")
    assert (customer.phone_e164, customer.alt_phone_e164) == ("", "")


def test_a_number_saved_with_update_fields_updates_what_is_shown():
    customer = CustomerFactory(phone="+13035552176")

    customer.phone = "+13035550199"
    customer.save(update_fields=["phone"])

    customer.refresh_from_db()
    assert customer.phone_display == "(303) 555-0199"


def test_the_card_calls_and_texts_the_stored_numbers(owner_client):
    customer = CustomerFactory(phone="+13035552176", alt_phone="+442079460018")

    html = owner_client.get(reverse("customers:detail", args=[customer.pk])).content.decode()

    assert 'href="tel:+13035552176">Call (303) 555-2176</a>' in html
    assert 'href="sms:+13035552176">Text</a>' in html
    assert 'href="tel:+442079460018">Call 020 7946 0018</a>' in html


def test_the_card_offers_no_call_without_a_number(owner_client):
    customer = CustomerFactory(phone="", alt_phone="")

    html = owner_client.get(reverse("customers:detail", args=[customer.pk])).content.decode()

    assert 'href="tel:' not in html
    assert 'href="sms:' not in html


def test_the_migration_fills_in_the_customers_already_there():
    with_phones = CustomerFactory(phone="+13035552176", alt_phone="+442079460018")
    without = CustomerFactory(phone="", alt_phone="")
    Customer.objects.update(phone_display="", alt_phone_display="")  # as before the migration
    migration = importlib.import_module("customers.migrations.0008_phone_display")

    migration.fill_phone_display(apps, None)

    with_phones.refresh_from_db()
    without.refresh_from_db()
    assert (with_phones.phone_display, with_phones.alt_phone_display) == ("(303) 555-2176", "020 7946 0018")
    assert (without.phone_display, without.alt_phone_display) == ("", "")
