"""customers.services writes and the rules the database keeps."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from customers.models import Customer, Tag
from customers.services import customer_create, customer_update, tag_get_or_create
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory
from trash.services import customer_delete


def test_customer_create_stores_normalised_phones_and_their_digits(db):
    customer = customer_create(name="Mia Lane", phone="(202) 555-0123", alt_phone="+1 312.555.0177")

    customer.refresh_from_db()
    assert customer.phone.as_e164 == "+12025550123"
    assert customer.alt_phone.as_e164 == "+13125550177"
    assert customer.phone_digits == "12025550123"
    assert customer.alt_phone_digits == "13125550177"


def test_customer_create_sets_tags(db):
    tags = [TagFactory(name="Pool"), TagFactory(name="VIP")]

    customer = customer_create(name="Mia Lane", tags=tags)

    assert sorted(t.name for t in customer.tags.all()) == ["Pool", "VIP"]


def test_customer_create_rejects_a_bad_email_and_saves_nothing(db):
    with pytest.raises(ValidationError) as error:
        customer_create(name="Mia Lane", email="not-an-email")

    assert "email" in error.value.message_dict
    assert not Customer.objects.exists()


def test_customer_create_rejects_a_blank_name(db):
    with pytest.raises(ValidationError) as error:
        customer_create(name="")

    assert "name" in error.value.message_dict


def test_customer_create_rejects_an_invalid_phone(db):
    with pytest.raises(ValidationError) as error:
        customer_create(name="Mia Lane", phone="12")

    assert "phone" in error.value.message_dict


def test_customer_update_renormalises_the_phone_digits(db):
    customer = CustomerFactory(phone="+12025550123")

    customer_update(customer=customer, data={"phone": "312-555-0177", "alt_phone": ""})

    customer.refresh_from_db()
    assert customer.phone_digits == "13125550177"
    assert customer.alt_phone_digits == ""


def test_customer_update_validates_and_keeps_the_stored_row(db):
    customer = CustomerFactory(name="Mia Lane", email="mia@example.com")

    with pytest.raises(ValidationError):
        customer_update(customer=customer, data={"email": "broken@"})

    customer.refresh_from_db()
    assert customer.email == "mia@example.com"


def test_customer_update_leaves_tags_alone_unless_given(db):
    customer = CustomerFactory(tags=[TagFactory(name="Pool")])

    customer_update(customer=customer, data={"town": "Dover"})
    assert [t.name for t in customer.tags.all()] == ["Pool"]

    customer_update(customer=customer, data={}, tags=[])
    assert list(customer.tags.all()) == []


def test_customer_update_saves_what_changed_even_when_the_instance_already_holds_it(db):
    # A ModelForm copies the posted values onto the instance before the view calls the service.
    customer = CustomerFactory(name="Mia Lane", town="Dover")
    customer.town = "Denver"

    customer_update(customer=customer, data={"town": "Denver"})

    customer.refresh_from_db()
    assert customer.town == "Denver"
    assert "denver" in customer.search_text


def test_customer_update_refuses_what_an_edit_may_not_change(db):
    customer = CustomerFactory(name="Mia Lane")

    with pytest.raises(ValueError):
        customer_update(customer=customer, data={"sort_name": "zzz"})

    customer.refresh_from_db()
    assert customer.sort_name == "mia lane"


def test_tag_get_or_create_finds_a_tag_whatever_its_case(db):
    vip = TagFactory(name="VIP")

    assert tag_get_or_create(name="vip") == vip
    assert tag_get_or_create(name="garden").name == "garden"
    assert Tag.objects.count() == 2


def test_a_customer_cannot_refer_themself(db):
    customer = CustomerFactory()

    with pytest.raises(ValidationError):
        customer_update(customer=customer, data={"referred_by": customer})


def test_the_database_rejects_a_self_referral(db):
    customer = CustomerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(referred_by=customer.pk)


def test_the_database_rejects_a_status_outside_the_choices(db):
    customer = CustomerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(status="vip")


def test_the_database_rejects_an_empty_name(db):
    customer = CustomerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(name="")


def test_tag_names_are_unique_without_regard_to_case(db):
    Tag.objects.create(name="Pool")

    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="POOL")


def test_tag_validation_reports_a_case_insensitive_duplicate(db):
    Tag.objects.create(name="Pool")

    with pytest.raises(ValidationError):
        Tag(name="pool").full_clean()


def test_customer_delete_takes_interactions_and_followups_but_not_referrals(db):
    customer = CustomerFactory()
    InteractionFactory(customer=customer)
    FollowUpFactory(customer=customer)
    referral = CustomerFactory(referred_by=customer)

    customer_delete(customer=customer)

    assert not customer.interactions.model.objects.filter(customer_id=customer.pk).exists()
    assert not customer.followups.model.objects.filter(customer_id=customer.pk).exists()
    referral.refresh_from_db()
    assert referral.referred_by is None
