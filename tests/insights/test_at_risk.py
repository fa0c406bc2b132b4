"""The At-risk rule and its list: each of the five reasons on hand-built data, whose list, and one call later."""


import pytest
import time_machine
from django.urls import reverse

from customers.models import Customer
from feedback.models import FeedbackItem
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, UserFactory
from tests.feedback.factories import FeedbackFactory
from tests.insights.conftest import NOW, days_ago, reasons_by_name

LIST = reverse("insights:at_risk")

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def viewer(db):
    return UserFactory(time_zone="Europe/London")


def names_on(response) -> list[str]:
    return [c.name for c in response.context["items"]]


# Each reason, on its own -------------------------------------------------------------------------------------

def test_a_customer_past_their_cadence_is_listed_with_how_long_it_has_been(viewer):
    late = CustomerFactory(name="Late Lucy", contact_every_days=30)
    InteractionFactory(customer=late, occurred_at=days_ago(47))
    on_time = CustomerFactory(name="On-time Otto", contact_every_days=30)
    InteractionFactory(customer=on_time, occurred_at=days_ago(29))

    assert reasons_by_name(viewer) == {"Late Lucy": ["Last contact 47 days ago (due every 30)"]}


def test_a_customer_never_contacted_is_late_once_their_cadence_has_passed_since_they_were_added(viewer):
    with time_machine.travel(days_ago(100), tick=False):
        CustomerFactory(name="Never Nora")
    with time_machine.travel(days_ago(80), tick=False):
        CustomerFactory(name="New Ned")

    assert reasons_by_name(viewer) == {"Never Nora": ["No contact logged since added 100 days ago (due every 90)"]}


def test_a_customer_unhappy_last_time_is_listed(viewer):
    unhappy = CustomerFactory(name="Cross Carl")
    InteractionFactory(customer=unhappy, occurred_at=days_ago(3), attitude=5)
    InteractionFactory(customer=unhappy, occurred_at=days_ago(2), attitude=2)
    better = CustomerFactory(name="Mended Mo")
    InteractionFactory(customer=better, occurred_at=days_ago(3), attitude=1)
    InteractionFactory(customer=better, occurred_at=days_ago(2), attitude=4)
    neutral = CustomerFactory(name="Neutral Nell")
    InteractionFactory(customer=neutral, occurred_at=days_ago(2), attitude=3)

    assert reasons_by_name(viewer) == {"Cross Carl": ["Unhappy last time"]}


def test_a_refund_in_the_last_90_days_is_a_reason_named_by_its_date(viewer):
    refunded = CustomerFactory(name="Refunded Rita")
    InteractionFactory(customer=refunded, occurred_at=days_ago(7), amount_charged=80, amount_refunded=20)
    long_ago = CustomerFactory(name="Old Refund Olga", contact_every_days=365)
    InteractionFactory(customer=long_ago, occurred_at=days_ago(91), amount_refunded=20)
    InteractionFactory(customer=long_ago, occurred_at=days_ago(5))

    assert reasons_by_name(viewer) == {"Refunded Rita": ["Refund on 3 Mar"]}


def test_an_improvement_with_no_action_for_14_days_is_a_reason(viewer):
    waiting = CustomerFactory(name="Waiting Wendy")
    InteractionFactory(customer=waiting, occurred_at=days_ago(1))
    FeedbackFactory(customer=waiting, received_at=days_ago(20), improvements=["Call before you come"])
    recent = CustomerFactory(name="Recent Rob")
    InteractionFactory(customer=recent, occurred_at=days_ago(1))
    FeedbackFactory(customer=recent, received_at=days_ago(13), improvements=["Wipe your boots"])
    acted_on = CustomerFactory(name="Heard Hana")
    InteractionFactory(customer=acted_on, occurred_at=days_ago(1))
    feedback = FeedbackFactory(customer=acted_on, received_at=days_ago(30), improvements=["Text the day before"])
    FeedbackItem.objects.filter(feedback=feedback).update(followup=FollowUpFactory(customer=acted_on))

    assert reasons_by_name(viewer) == {"Waiting Wendy": ["Improvement waiting 20 days: ‘Call before you come’"]}


def test_visits_thinning_out_to_less_than_half_is_a_reason(viewer):
    def customer_with(name, *, before, recent):
        customer = CustomerFactory(name=name, contact_every_days=365)
        for n in range(before):
            InteractionFactory(customer=customer, occurred_at=days_ago(200 + n))
        for n in range(recent):
            InteractionFactory(customer=customer, occurred_at=days_ago(10 + n))
        return customer

    customer_with("Fading Fay", before=7, recent=2)
    customer_with("Steady Stan", before=4, recent=2)  # half as many: not fewer than half
    customer_with("Rare Ray", before=1, recent=0)  # too few before to say

    assert reasons_by_name(viewer) == {"Fading Fay": ["Fewer visits: 2 in the last 6 months, 7 before"]}


def test_every_reason_that_applies_is_given(viewer):
    customer = CustomerFactory(name="Trouble Tom", contact_every_days=30)
    for n in range(4):
        InteractionFactory(customer=customer, occurred_at=days_ago(190 + n))
    InteractionFactory(customer=customer, occurred_at=days_ago(40), attitude=1, amount_refunded=10)
    FeedbackFactory(customer=customer, received_at=days_ago(40), improvements=["Be on time"])

    assert reasons_by_name(viewer) == {"Trouble Tom": [
        "Last contact 40 days ago (due every 30)",
        "Unhappy last time",
        "Refund on 29 Jan",
        "Improvement waiting 40 days: ‘Be on time’",
        "Fewer visits: 1 in the last 6 months, 4 before",
    ]}


def test_only_active_customers_we_may_contact_are_listed(viewer):
    for name, extra in (("Lost Larry", {"status": "lost"}), ("Lead Lena", {"status": "lead"}),
                        ("Quiet Quinn", {"do_not_contact": True})):
        customer = CustomerFactory(name=name, **extra)
        InteractionFactory(customer=customer, occurred_at=days_ago(2), attitude=1)

    assert reasons_by_name(viewer) == {}


# The page ----------------------------------------------------------------------------------------------------

def log_a_call(client, customer):
    return client.post(reverse("interactions:create", args=[customer.pk]), {
        "channel": "call", "direction": "outbound", "occurred_at": "2026-03-10T14:30", "asked_for": "Checking in",
    })


def test_a_late_customer_appears_with_why_and_disappears_once_a_call_is_logged(worker_client, worker):
    # Given
    customer = CustomerFactory(name="Late Lucy", contact_every_days=30, assigned_to=worker, phone="+12025550123")
    InteractionFactory(customer=customer, occurred_at=days_ago(47), amount_charged=4321.5)
    page = worker_client.get(LIST)
    html = page.content.decode()
    assert names_on(page) == ["Late Lucy"]
    assert "Last contact 47 days ago (due every 30)" in html
    log_url = reverse("interactions:create", args=[customer.pk]) + "?channel=call"
    assert f'href="{log_url}"' in html and 'href="tel:+12025550123"' in html
    assert "4321" not in html  # no money on this page

    # When: the call is logged through the log form
    assert log_a_call(worker_client, customer).status_code == 302

    # Then
    assert names_on(worker_client.get(LIST)) == []


def test_the_most_overdue_come_first(viewer, owner_client):
    for name, last in (("Lucy", 35), ("Mona", 90), ("Nick", 60)):
        InteractionFactory(customer=CustomerFactory(name=name, contact_every_days=30), occurred_at=days_ago(last))

    assert names_on(owner_client.get(LIST)) == ["Mona", "Nick", "Lucy"]


@pytest.fixture
def three_owners(worker, owner):
    """An at-risk customer of the worker's, one of another worker's, and one nobody looks after."""
    for name, who in (("Mine", worker), ("Theirs", UserFactory(role="field_worker")), ("Nobody's", None)):
        customer = CustomerFactory(name=name, assigned_to=who)
        InteractionFactory(customer=customer, occurred_at=days_ago(1), attitude=1)


def test_a_field_worker_starts_with_their_customers_and_the_unassigned(worker_client, three_owners):
    response = worker_client.get(LIST)

    assert response.context["scope"] == "mine"
    assert sorted(names_on(response)) == ["Mine", "Nobody's"]
    assert "Unassigned" in response.content.decode()


def test_a_field_worker_can_see_everyones(worker_client, three_owners):
    assert sorted(names_on(worker_client.get(LIST, {"scope": "everyone"}))) == ["Mine", "Nobody's", "Theirs"]


def test_the_owner_starts_with_everyone_and_can_narrow_to_theirs(owner_client, owner, three_owners):
    assert sorted(names_on(owner_client.get(LIST))) == ["Mine", "Nobody's", "Theirs"]
    assert names_on(owner_client.get(LIST, {"scope": "mine"})) == ["Nobody's"]


def test_a_nonsense_scope_or_page_falls_back_to_the_defaults(worker_client, three_owners):
    response = worker_client.get(LIST, {"scope": "<all>", "page": "x" * 500})

    assert response.status_code == 200 and response.context["scope"] == "mine" and response.context["page"] == 1


def make_at_risk(size: int, *, assigned_to=None):
    """`size` late customers, each with a few interactions, tags and feedback (the query must not grow)."""
    for n in range(size):
        customer = CustomerFactory(name=f"Late {n:03d}", assigned_to=assigned_to)
        InteractionFactory(customer=customer, occurred_at=days_ago(100 + n), attitude=2, amount_refunded=0)
        InteractionFactory(customer=customer, occurred_at=days_ago(300 + n))
        FeedbackFactory(customer=customer, received_at=days_ago(30), improvements=["Sooner"])


def test_it_pages_fifty_at_a_time_with_the_total(owner_client):
    make_at_risk(51)

    first = owner_client.get(LIST)
    second = owner_client.get(LIST, {"page": 2})

    assert len(first.context["items"]) == 50 and first.context["total"] == 51
    assert "1–50 of 51" in first.content.decode() and "page=2" in first.content.decode()
    assert names_on(second) == ["Late 000"]  # the least overdue, last
    assert "51–51 of 51" in second.content.decode()


def test_a_page_past_the_end_says_so(owner_client):
    make_at_risk(2)

    response = owner_client.get(LIST, {"page": 9})

    assert response.context["total"] == 2 and "Nothing on this page" in response.content.decode()


# The list's queries, whatever its size:
#   1. the session  2. the user  3. is the user an owner (the default list and the menu)
#   4. the list: every at-risk customer's reasons, their carer and the total, in one statement
LIST_QUERIES = 4


@pytest.mark.parametrize("size", [3, 60])
def test_the_list_runs_a_fixed_number_of_queries(owner_client, size, django_assert_num_queries):
    make_at_risk(size)

    with django_assert_num_queries(LIST_QUERIES):
        response = owner_client.get(LIST)

    assert response.context["total"] == size


def test_it_is_linked_from_today(worker_client, three_owners):
    html = worker_client.get(reverse("today")).content.decode()

    assert f'href="{LIST}"' in html


def test_customers_from_every_factory_default_are_active():
    # The tests above rely on it: a new customer is active unless told otherwise.
    assert Customer._meta.get_field("status").default == Customer.Status.ACTIVE
