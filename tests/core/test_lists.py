"""core.lists.first_n_with_total: a bounded list that still says how many there are."""

import pytest

from core.lists import first_n_with_total
from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rows", "queries", "more"),
    [
        (0, 1, 0),  # below the limit: the rows are all there is, no count needed
        (2, 1, 0),
        (3, 2, 0),  # at the limit: there may be more, so count
        (5, 2, 2),
    ],
)
def test_it_lists_the_first_three_and_counts_with_a_second_query_only_when_full(
    rows, queries, more, django_assert_num_queries
):
    made = CustomerFactory.create_batch(rows)

    with django_assert_num_queries(queries):
        listed = first_n_with_total(Customer.objects.order_by("id"), limit=3)

    assert listed == {"items": made[:3], "count": rows, "more": more}
