"""selectors.customer_page: key-set pages over (sort_name, id)."""

import pytest

from customers.selectors import customer_page, customer_search
from tests.factories import CustomerFactory


@pytest.fixture
def seven(db):
    # Two "Carol"s: equal sort names must still page by id, never skip or repeat one.
    created = [CustomerFactory(name=name) for name in ["Gus", "Carol", "Alice", "Dan", "Carol", "Bob", "Eve"]]
    by_order = sorted(created, key=lambda c: (c.sort_name, c.pk))
    return [c.pk for c in by_order]


def ids(page):
    return [c.pk for c in page.customers]


def test_the_first_page_has_the_first_rows_and_a_next_page(seven):
    page = customer_page(customer_search(), size=3)

    assert ids(page) == seven[:3]
    assert (page.has_previous, page.has_next) == (False, True)
    assert page.total == 7


def test_next_pages_continue_without_skipping_or_repeating(seven):
    first = customer_page(customer_search(), size=3)
    second = customer_page(customer_search(), after=first.next_cursor, size=3)
    third = customer_page(customer_search(), after=second.next_cursor, size=3)

    assert ids(second) == seven[3:6]
    assert (second.has_previous, second.has_next) == (True, True)
    assert ids(third) == seven[6:]
    assert (third.has_previous, third.has_next) == (True, False)


def test_same_names_are_ordered_by_id_across_a_page_break(db):
    carols = [CustomerFactory(name="Carol") for _ in range(4)]

    first = customer_page(customer_search(), size=2)
    second = customer_page(customer_search(), after=first.next_cursor, size=2)

    assert ids(first) + ids(second) == [c.pk for c in carols]


def test_the_last_page_holds_the_last_rows(seven):
    page = customer_page(customer_search(), last=True, size=3)

    assert ids(page) == seven[4:]
    assert (page.has_previous, page.has_next) == (True, False)


def test_previous_pages_walk_back_to_a_full_first_page(seven):
    last = customer_page(customer_search(), last=True, size=3)
    middle = customer_page(customer_search(), before=last.previous_cursor, size=3)
    first = customer_page(customer_search(), before=middle.previous_cursor, size=3)

    assert ids(middle) == seven[1:4]
    assert (middle.has_previous, middle.has_next) == (True, True)
    # Going back past the start shows the real first page, not a short page of one row.
    assert ids(first) == seven[:3]
    assert (first.has_previous, first.has_next) == (False, True)


def test_previous_from_the_second_page_is_the_first_page(seven):
    second = customer_page(customer_search(), after=customer_page(customer_search(), size=3).next_cursor, size=3)

    back = customer_page(customer_search(), before=second.previous_cursor, size=3)

    assert ids(back) == seven[:3]
    assert (back.has_previous, back.has_next) == (False, True)


def test_walking_every_page_forward_visits_each_customer_once(seven):
    seen, cursor = [], ""
    while True:
        page = customer_page(customer_search(), after=cursor, size=3)
        seen += ids(page)
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == seven


def test_a_single_page_has_neither_next_nor_previous(db):
    CustomerFactory.create_batch(2)

    for page in (customer_page(customer_search(), size=3), customer_page(customer_search(), last=True, size=3)):
        assert len(page.customers) == 2
        assert (page.has_previous, page.has_next) == (False, False)


def test_an_empty_list_is_one_empty_page(db):
    page = customer_page(customer_search(), last=True, size=3)

    assert page.customers == [] and page.total == 0
    assert (page.has_previous, page.has_next) == (False, False)


def test_a_bad_or_stale_cursor_shows_the_first_page(seven):
    for cursor in ("abc", "999999"):
        page = customer_page(customer_search(), after=cursor, size=3)
        assert ids(page) == seven[:3]


def test_pages_respect_the_search(db):
    carols = [CustomerFactory(name="Carol"), CustomerFactory(name="Carol")]
    CustomerFactory(name="Bob")

    page = customer_page(customer_search(query="carol"), size=1)
    nxt = customer_page(customer_search(query="carol"), after=page.next_cursor, size=1)

    assert ids(page) + ids(nxt) == [c.pk for c in carols]
    assert nxt.has_next is False and page.total == 2
