"""customers.search (normalisation) and selectors.customer_search (the list's one search box)."""

import pytest

from core.text import fold
from customers.models import Customer
from customers.search import phone_digits, phone_query_digits, phone_query_variants
from customers.selectors import customer_search
from tests.factories import CustomerFactory, TagFactory


def names(qs):
    return [c.name for c in qs]


def test_fold_removes_case_and_accents():
    assert fold("  José   NÚÑEZ ") == "jose nunez"


def test_phone_digits_are_e164_digits_whatever_the_format():
    for typed in ("(202) 555-0123", "202.555.0123", "+1 202 555 0123", "202 555 0123"):
        assert phone_digits(typed) == "12025550123", typed


def test_phone_query_digits_ignores_text_queries():
    assert phone_query_digits("José 12") == ""
    assert phone_query_digits("(202) 555-01") == "20255501"


@pytest.fixture
def jose(db):
    # Others have numbers in another area and streets without digits, so a digit query can only find José.
    CustomerFactory(name="Ann Other", phone="+16175551234", street="High Street", town="Boston", email="ann@example.com")
    CustomerFactory(name="Bob Brown", phone="+16175559876", street="Low Road", town="Salem", email="bob@example.com")
    return CustomerFactory(
        name="José Núñez",
        company="Núñez Gardens",
        phone="+12025550123",
        alt_phone="+13125550177",
        email="jose@nunez-gardens.example",
        street="12 Alder Lane",
        town="Springfield",
        postcode="62701",
    )


@pytest.mark.parametrize(
    "typed",
    ["5550", "555 01", "(202) 555-0123", "+1 202 555 0123", "202.555.0123", "202-555-0123", "555-0123", "2025550123"],
)
def test_a_phone_fragment_in_any_format_finds_the_customer(jose, typed):
    assert names(customer_search(query=typed)) == ["José Núñez"]


@pytest.mark.parametrize("typed", ["312 555", "(312) 555-0177", "+1 312-555-0177"])
def test_the_other_phone_is_searched_too(jose, typed):
    assert names(customer_search(query=typed)) == ["José Núñez"]


@pytest.mark.parametrize("typed", ["JOSÉ", "jose", "José", "nunez", "NÚÑEZ", "josé núñez"])
def test_names_match_without_regard_to_case_or_accents(jose, typed):
    assert names(customer_search(query=typed)) == ["José Núñez"]


@pytest.mark.parametrize("typed", ["gardens", "NUNEZ-GARDENS.example", "alder", "springfield", "62701"])
def test_company_email_street_town_and_postcode_are_searched(jose, typed):
    assert names(customer_search(query=typed)) == ["José Núñez"]


def test_every_word_of_a_multi_word_query_must_match(jose):
    assert names(customer_search(query="jose springfield")) == ["José Núñez"]
    assert names(customer_search(query="jose boston")) == []


def test_a_query_that_matches_nobody_returns_nothing(jose):
    assert names(customer_search(query="zebra")) == []
    assert names(customer_search(query="999 888")) == []


def test_a_national_number_with_a_trunk_prefix_finds_the_stored_e164_number(settings, db):
    # In the UK people type 020 7946 0018; the number is stored as 44 20 7946 0018.
    settings.PHONENUMBER_DEFAULT_REGION = "GB"
    CustomerFactory(name="Harriet", phone="+442079460018", street="Mill Lane", town="London")
    CustomerFactory(name="Other", phone="+442079461111", street="Mill Lane", town="London")

    assert names(customer_search(query="020 7946 0018")) == ["Harriet"]
    assert names(customer_search(query="7946 0018")) == ["Harriet"]


def test_status_filter(db):
    CustomerFactory(name="Lead Larry", status=Customer.Status.LEAD)
    CustomerFactory(name="Active Amy", status=Customer.Status.ACTIVE)

    assert names(customer_search(status="lead")) == ["Lead Larry"]
    assert names(customer_search(status="active")) == ["Active Amy"]


def test_tag_filter_lists_each_customer_once(db):
    pool, vip = TagFactory(name="Pool"), TagFactory(name="VIP")
    CustomerFactory(name="Tagged Twice", tags=[pool, vip])
    CustomerFactory(name="Pool Only", tags=[pool])
    CustomerFactory(name="Untagged")

    assert names(customer_search(tag_id=pool.pk)) == ["Pool Only", "Tagged Twice"]
    assert names(customer_search(tag_id=vip.pk)) == ["Tagged Twice"]
    assert customer_search(tag_id=pool.pk).count() == 2


def test_tag_status_and_query_combine(db):
    pool = TagFactory(name="Pool")
    CustomerFactory(name="Amy Pool", status="active", tags=[pool])
    CustomerFactory(name="Amy Lead", status="lead", tags=[pool])
    CustomerFactory(name="Amy Untagged", status="active")

    assert names(customer_search(query="amy", status="active", tag_id=pool.pk)) == ["Amy Pool"]


def test_order_is_by_folded_name_then_id(db):
    second_smith = CustomerFactory(name="Zoë Smith")
    CustomerFactory(name="álvaro")
    CustomerFactory(name="Bea")
    first_smith_later_id = CustomerFactory(name="zoe smith")

    result = list(customer_search())

    assert [c.name for c in result] == ["álvaro", "Bea", "Zoë Smith", "zoe smith"]
    assert result[2].pk == second_smith.pk and result[3].pk == first_smith_later_id.pk


def test_phone_query_variants_drop_the_national_trunk_prefix(settings):
    settings.PHONENUMBER_DEFAULT_REGION = "GB"

    assert phone_query_variants("020 7946 0018") == ["02079460018", "2079460018"]
    assert phone_query_variants("+44 20 7946") == ["44207946"]
    assert phone_query_variants("Mill Lane") == []


def test_a_name_and_part_of_a_phone_together_find_the_customer(jose):
    assert names(customer_search(query="jose 555-01")) == ["José Núñez"]
    assert names(customer_search(query="jose 617")) == []


def test_a_spaced_phone_fragment_must_match_as_one_run_of_digits(db):
    # 555 and 01 both occur in 1 202 555 9901, but "555 01" does not.
    CustomerFactory(name="Nine", phone="+12025559901", street="Elm", town="Dover")
    CustomerFactory(name="Match", phone="+12025550123", street="Elm", town="Dover")

    assert names(customer_search(query="555 01")) == ["Match"]
