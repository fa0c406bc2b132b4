import pytest
from django.urls import reverse

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_it_requires_login(client):
    assert client.get(reverse("customers:quick_search"), {"q": "555"}).status_code == 302


def test_it_finds_customers_by_digits_of_their_phone(worker_client):
    CustomerFactory(name="Ada Lovelace", phone="+12025550142", street="1 Analytical Way")
    CustomerFactory(name="Grace Hopper", phone="+13125550000")

    html = worker_client.get(reverse("customers:quick_search"), {"q": "0142"}).content.decode()

    assert "Ada Lovelace" in html
    assert "1 Analytical Way" in html
    assert "Grace Hopper" not in html


def test_it_returns_a_small_fragment_not_a_page(worker_client):
    CustomerFactory(name="Ada Lovelace")

    html = worker_client.get(reverse("customers:quick_search"), {"q": "ada"}).content.decode()

    assert "<html" not in html
    assert len(html) < 2000
    assert "All results for “ada”" in html


def test_it_shows_at_most_eight_customers(worker_client):
    CustomerFactory.create_batch(10, name="Smith")

    html = worker_client.get(reverse("customers:quick_search"), {"q": "smith"}).content.decode()

    assert html.count('class="quick-result d-block') == 8


def test_one_letter_finds_nothing_yet(worker_client):
    CustomerFactory(name="Ada Lovelace")

    html = worker_client.get(reverse("customers:quick_search"), {"q": "a"}).content.decode()

    assert html.strip() == ""


def test_it_says_when_nothing_matches(worker_client):
    html = worker_client.get(reverse("customers:quick_search"), {"q": "zzzz"}).content.decode()

    assert "No customer matches “zzzz”" in html


@pytest.mark.parametrize("size", [2, 8])
def test_its_query_count_is_constant(worker_client, django_assert_max_num_queries, size):
    CustomerFactory.create_batch(size, name="Smith")

    with django_assert_max_num_queries(4):
        worker_client.get(reverse("customers:quick_search"), {"q": "smith"})
