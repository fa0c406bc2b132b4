"""Possible duplicates: the same phone, the same email in any case, the same name at the same postcode."""

import pytest
from django.urls import reverse

from merge.selectors import SAME_EMAIL, SAME_NAME, SAME_PHONE, duplicate_pairs
from tests.factories import CustomerFactory


def pair_keys(pairs):
    return {(pair.first.name, pair.second.name): pair.reasons for pair in pairs}


def test_it_finds_the_three_kinds_of_pairs_and_not_a_lone_customer(db):
    CustomerFactory(name="Ann Phone", phone="+12025550111", email="")
    CustomerFactory(name="Ann P.", phone="+1 202 555 0111", email="")
    CustomerFactory(name="Bea Mail", email="Bea@Example.com")
    CustomerFactory(name="Bea M.", email="bea@example.COM")
    CustomerFactory(name="Cai Name", email="", postcode="LS1 4AB")
    CustomerFactory(name="CAI NAME", email="", postcode="ls14ab")
    CustomerFactory(name="Cai Name", email="", postcode="LS2 9ZZ")  # same name, another postcode
    CustomerFactory(name="Dee Lone", email="dee@example.com")

    pairs = pair_keys(duplicate_pairs())

    assert pairs == {("Ann Phone", "Ann P."): [SAME_PHONE], ("Bea Mail", "Bea M."): [SAME_EMAIL],
                     ("Cai Name", "CAI NAME"): [SAME_NAME]}


def test_a_pair_alike_in_two_ways_is_listed_once(db):
    CustomerFactory(name="Ann", phone="+12025550111", email="ann@example.com")
    CustomerFactory(name="Ann B", phone="+12025550111", email="ANN@example.com")

    assert pair_keys(duplicate_pairs()) == {("Ann", "Ann B"): [SAME_PHONE, SAME_EMAIL]}


@pytest.mark.parametrize("size", [2, 8])
def test_it_runs_a_constant_number_of_queries(db, size, django_assert_num_queries):
    for n in range(size):
        CustomerFactory(phone=f"+1202555{n:04d}", email=f"same{n}@example.com", postcode="LS1 4AB", name=f"Same {n}")
        CustomerFactory(phone=f"+1202555{n:04d}", email=f"SAME{n}@example.com", postcode="LS1 4AB", name=f"Same {n}")

    # the phone keys, the email keys, the name-and-postcode keys, then the customers who have them
    with django_assert_num_queries(4):
        pairs = duplicate_pairs()

    assert len(pairs) == size


def test_the_page_links_each_pair_to_its_merge(owner_client):
    ann = CustomerFactory(name="Ann Phone", phone="+12025550111")
    other = CustomerFactory(name="Ann P.", phone="+12025550111")

    response = owner_client.get(reverse("merge:duplicates"))

    assert response.status_code == 200
    assert reverse("merge:merge", args=[ann.pk, other.pk]) in response.content.decode()


def test_a_field_worker_may_not_see_it(worker_client):
    assert worker_client.get(reverse("merge:duplicates")).status_code == 403


def test_the_customer_list_links_to_it_for_the_owner(owner_client):
    assert reverse("merge:duplicates") in owner_client.get(reverse("customers:list")).content.decode()


def test_the_customer_list_does_not_link_to_it_for_a_field_worker(worker_client):
    assert reverse("merge:duplicates") not in worker_client.get(reverse("customers:list")).content.decode()
