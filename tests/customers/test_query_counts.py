"""The customer list and card run the same number of queries whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.registries import card_sections
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory

LIST = reverse("customers:list")


def make_customers(count):
    tags = [TagFactory(name=f"tag {i}") for i in range(count)]
    return [CustomerFactory(name=f"Amy {i:03d}", tags=tags[: i % 4 + 1]) for i in range(count)]


def make_card(count, user):
    customer = CustomerFactory(name="Mia Lane", tags=[TagFactory(name=f"tag {i}") for i in range(count)],
                               referred_by=CustomerFactory(), assigned_to=user)
    today = timezone.localdate()
    for i in range(count):
        InteractionFactory(customer=customer, user=user)
        FollowUpFactory(customer=customer, assigned_to=user, due_date=today + datetime.timedelta(days=i - 1))
        FollowUpFactory(customer=customer, assigned_to=user, done_at=timezone.now(), done_by=user)
        CustomerFactory(referred_by=customer)
    return customer


# The list page, whatever the search or page:
#  1. the session  2. the user  3. COUNT of the matching customers, at most 101  4. the page of customers, best
#  matches first (one query whatever the number of ranks)  5. the tags of those customers (prefetch)  6. is the user an owner? (nav)  7. the tags for the filter menu
LIST_QUERIES = 7


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(worker_client, django_assert_num_queries, size):
    make_customers(size)

    with django_assert_num_queries(LIST_QUERIES):
        response = worker_client.get(LIST)

    assert len(response.context["page"].customers) == min(size, 25)


@pytest.mark.parametrize("size", [3, 30])
def test_a_search_runs_a_fixed_number_of_queries(worker_client, django_assert_num_queries, size):
    make_customers(size)

    with django_assert_num_queries(LIST_QUERIES):
        response = worker_client.get(LIST, {"q": "amy", "status": "active"})

    assert response.context["page"].total == size


@pytest.mark.parametrize("size", [3, 30])
def test_a_tag_filter_adds_no_query(worker_client, django_assert_num_queries, size):
    # The tag is read as a number, not looked up.
    customers = make_customers(size)
    tag = customers[0].tags.get()

    with django_assert_num_queries(LIST_QUERIES):
        response = worker_client.get(LIST, {"tag": tag.pk, "status": "active"})

    assert response.context["page"].total == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_last_page_runs_a_fixed_number_of_queries(worker_client, django_assert_num_queries, size):
    make_customers(size)

    with django_assert_num_queries(LIST_QUERIES):
        response = worker_client.get(LIST, {"q": "amy", "page": "last"})

    assert response.context["page"].customers[-1].name == f"Amy {size - 1:03d}"


@pytest.mark.parametrize("size", [3, 30])
def test_a_next_page_adds_only_the_cursor_lookup(worker_client, django_assert_num_queries, size):
    customers = make_customers(size)

    # + the cursor row's (sort_name, id)
    with django_assert_num_queries(LIST_QUERIES + 1):
        worker_client.get(LIST, {"after": customers[0].pk})


@pytest.mark.parametrize("size", [3, 30])
def test_the_htmx_partial_runs_a_fixed_number_of_queries(worker_client, django_assert_num_queries, size):
    make_customers(size)

    # The partial has no filter menu: one query fewer.
    with django_assert_num_queries(LIST_QUERIES - 1):
        worker_client.get(LIST, {"q": "amy"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-results")


# The card with its own sections (customers, follow-ups, interactions), without the other apps':
#  1. the session  2. the user  3. the customer (with referred_by, assigned_to)  4. their tags
#  5. the customers they referred  6. the interactions (with user and their last edit)  7. is the user an owner?
#  8-10. History: the latest records of the customer, of their interactions, of their follow-ups (each with its
#  author and the total; nothing was edited, so nothing to compare with and no names to look up)
#  11. open follow-ups (with assigned_to)  12. done follow-ups (with assigned_to, done_by)
#  13. who last changed the done follow-ups (marking one done is a change; open ones here were never changed)
#  14-16. the session write that remembers the last card (savepoint, update, release)
CARD_QUERIES = 16


@pytest.mark.parametrize("size", [3, 30])
def test_the_card_runs_a_fixed_number_of_queries(worker_client, worker, django_assert_num_queries, monkeypatch, size):
    own = ("customers/", "followups/", "interactions/")
    monkeypatch.setattr(card_sections, "_entries", {t: e for t, e in card_sections._entries.items() if t.startswith(own)})
    customer = make_card(size, worker)

    with django_assert_num_queries(CARD_QUERIES):
        response = worker_client.get(reverse("customers:detail", args=[customer.pk]))

    [timeline] = [s["context"]["timeline"] for s in response.context["sections"] if "timeline" in s["context"]]
    assert len(timeline) == size


def test_the_card_with_every_registered_section_costs_the_same_at_two_sizes(worker_client, worker):
    # Other apps add sections to the card; each must be constant too, so the whole page is.
    counts = []
    for size in (3, 30):
        customer = make_card(size, worker)
        with CaptureQueriesContext(connection) as queries:
            worker_client.get(reverse("customers:detail", args=[customer.pk]))
        counts.append(len(queries))

    assert counts[0] == counts[1], [q["sql"][:120] for q in queries.captured_queries]
