"""Search results best first (the whole phone number, then names that begin with the text, then the rest), paged by
key set across those ranks, and a count that stops at a cap."""

import pytest
from django.urls import reverse

from customers import selectors
from customers.filters import CustomerListFilter
from customers.selectors import customer_page, customer_quick_search, customer_search
from tests.customers.test_query_counts import LIST_QUERIES
from tests.factories import CustomerFactory

LIST = reverse("customers:list")


def names(customers):
    return [c.name for c in customers]


def page_of(query, **kwargs):
    return customer_page(customer_search(query=query), query=query, **kwargs)


@pytest.fixture
def smiths(db):
    # By name alone: Anna Smith, Bob Smithers, Smita Rao, Smith Ltd Cleaning, Zed Blacksmith.
    for name in ["Zed Blacksmith", "Smith Ltd Cleaning", "Anna Smith", "Smita Rao", "Bob Smithers"]:
        CustomerFactory(name=name)


def test_names_that_begin_with_the_text_come_first(smiths):
    page = page_of("smi")

    assert names(page.customers) == ["Smita Rao", "Smith Ltd Cleaning", "Anna Smith", "Bob Smithers", "Zed Blacksmith"]


def test_the_whole_phone_number_comes_before_what_only_contains_it(db):
    CustomerFactory(name="Aaron Early", street="Unit 2025550142")
    CustomerFactory(name="Zoe Exact", phone="+12025550142")
    CustomerFactory(name="Yan Second Line", alt_phone="+12025550142")

    assert names(page_of("202 555 0142").customers) == ["Yan Second Line", "Zoe Exact", "Aaron Early"]
    for typed in ("1 202-555-0142", "+1 202 555 0142"):
        assert names(page_of(typed).customers)[:2] == ["Yan Second Line", "Zoe Exact"]
    # Part of a number is no whole number: name order.
    assert names(page_of("555 0142").customers) == ["Aaron Early", "Yan Second Line", "Zoe Exact"]


def test_a_national_number_with_a_trunk_prefix_is_still_exact(settings, db):
    settings.PHONENUMBER_DEFAULT_REGION = "GB"
    CustomerFactory(name="Adam Other", phone="+442079460018", street="Mill Lane")
    CustomerFactory(name="Harriet", phone="+442079460018")

    assert names(page_of("020 7946 0018").customers) == ["Adam Other", "Harriet"]
    CustomerFactory(name="Aardvark Ltd", street="020 7946 0018 is our old number")
    assert names(page_of("020 7946 0018").customers) == ["Adam Other", "Harriet", "Aardvark Ltd"]


def test_walking_pages_forward_follows_the_ranking_without_skipping_or_repeating(smiths):
    ranked = names(page_of("smi").customers)
    seen, cursor = [], ""
    while True:
        page = page_of("smi", after=cursor, size=2)
        seen += names(page.customers)
        if not page.has_next:
            break
        cursor = page.next_cursor

    assert seen == ranked


def test_the_last_page_and_walking_back_follow_the_ranking(smiths):
    last = page_of("smi", last=True, size=2)
    middle = page_of("smi", before=last.previous_cursor, size=2)
    first = page_of("smi", before=middle.previous_cursor, size=2)

    assert names(last.customers) == ["Bob Smithers", "Zed Blacksmith"]
    assert (last.has_previous, last.has_next) == (True, False)
    assert names(middle.customers) == ["Smith Ltd Cleaning", "Anna Smith"]
    assert (middle.has_previous, middle.has_next) == (True, True)
    assert names(first.customers) == ["Smita Rao", "Smith Ltd Cleaning"]
    assert (first.has_previous, first.has_next) == (False, True)


def test_past_the_cap_the_count_says_more(monkeypatch, smiths):
    monkeypatch.setattr(selectors, "TOTAL_CAP", 3)

    page = page_of("smi")

    assert (page.total, page.more) == (3, True)
    assert len(page.customers) == 5


def test_up_to_the_cap_the_count_is_exact(monkeypatch, smiths):
    monkeypatch.setattr(selectors, "TOTAL_CAP", 5)

    page = page_of("smi")

    assert (page.total, page.more) == (5, False)


def test_the_list_says_how_many_and_past_the_cap_that_there_are_more(monkeypatch, worker_client, smiths):
    assert "5 customers" in worker_client.get(LIST, {"q": "smi"}).content.decode()

    monkeypatch.setattr(selectors, "TOTAL_CAP", 3)
    html = worker_client.get(LIST, {"q": "smi"}).content.decode()

    assert "3+ customers" in html
    assert "Zed Blacksmith" in html


def test_the_export_still_gets_every_match(monkeypatch, smiths):
    # The export reads the filter's queryset: the cap is the page's, not the search's.
    monkeypatch.setattr(selectors, "TOTAL_CAP", 3)

    assert CustomerListFilter({"q": "smi"}).qs.count() == 5


def test_the_quick_search_ranks_like_the_list(smiths):
    assert names(customer_quick_search(query="smi", limit=3)) == ["Smita Rao", "Smith Ltd Cleaning", "Anna Smith"]


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("params", [{"q": "555 000"}, {"q": "202 555 0001"}, {"q": "555 000", "page": "last"}, {"q": "amy 0"}])
def test_a_ranked_search_runs_a_fixed_number_of_queries(worker_client, django_assert_num_queries, size, params):
    # Three ranks for a phone number, two for a name: still one query for the page.
    for i in range(size):
        CustomerFactory(name=f"Amy {i:03d}", phone=f"+1202555{i:04d}")

    with django_assert_num_queries(LIST_QUERIES):
        response = worker_client.get(LIST, params)

    assert response.context["page"].customers
