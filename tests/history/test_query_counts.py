"""With history on every row, the card still runs the same number of queries whatever the number of rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.registries import card_sections
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory
from tests.history.pages import client_for


def as_user(instance, user):
    # What HistoryRequestMiddleware does for a page: the next record names this user.
    instance._history_user = user
    return instance


def make_card_with_history(size, owner, worker):
    """A customer whose profile, interactions and follow-ups were each changed `size` times or more."""
    customer = CustomerFactory(name="Mia Lane", assigned_to=worker)
    referrer = CustomerFactory(name="Ann Advocate")
    for i in range(size):
        as_user(customer, owner)
        customer.phone = f"+1202555{1000 + i:04d}"
        customer.referred_by = referrer if i % 2 else None
        customer.save()

        interaction = InteractionFactory(customer=customer, user=worker, amount_charged=Decimal(10))
        as_user(interaction, owner)
        interaction.asked_for, interaction.amount_charged = f"Hedge, take {i}", Decimal(20 + i)
        interaction.save()
        gone = InteractionFactory(customer=customer, user=worker)
        as_user(gone, worker).delete()

        followup = FollowUpFactory(customer=customer, assigned_to=worker,
                                   due_date=timezone.localdate() + datetime.timedelta(days=i))
        as_user(followup, worker)
        followup.done_at, followup.done_by = timezone.now(), worker
        followup.save()
    return customer


# The card's own sections (customers, follow-ups, interactions), as in tests/customers/test_query_counts.py
# (CARD_QUERIES = 16, who last changed the done follow-ups included), and with edits in the history:
#  + the users who last edited the interactions in the timeline
#  + the records before the latest ones, to compare with: the customer's, the interactions', the follow-ups'
#  + the names of the people and of the customers that those changes name
#  + the people who last changed the open follow-ups (edited here)
CARD_QUERIES_WITH_HISTORY = 16 + 1 + 3 + 2 + 1


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("reader", ["owner", "worker"])
def test_the_card_with_history_runs_a_fixed_number_of_queries(django_assert_num_queries, monkeypatch, owner, worker,
                                                               size, reader):
    own = ("customers/", "followups/", "interactions/")
    monkeypatch.setattr(card_sections, "_entries", {t: e for t, e in card_sections._entries.items() if t.startswith(own)})
    customer = make_card_with_history(size, owner, worker)
    client = client_for(owner if reader == "owner" else worker)

    with django_assert_num_queries(CARD_QUERIES_WITH_HISTORY):
        response = client.get(reverse("customers:detail", args=[customer.pk]))

    [history] = [s["context"]["history"] for s in response.context["sections"] if "history" in s["context"]]
    assert len(history.items) == 10
    # Each round: the customer changed; an interaction logged and changed; one logged and deleted (the owner
    # only sees the deletion); a follow-up set and completed. And the customer added.
    assert history.total == (7 * size + 1 if reader == "owner" else 6 * size + 1)


def test_the_card_with_every_section_and_history_costs_the_same_at_two_sizes(owner, worker):
    counts = []
    for size in (3, 30):
        customer = make_card_with_history(size, owner, worker)
        with CaptureQueriesContext(connection) as queries:
            client_for(owner).get(reverse("customers:detail", args=[customer.pk]))
        counts.append(len(queries))

    assert counts[0] == counts[1], [q["sql"][:120] for q in queries.captured_queries]
