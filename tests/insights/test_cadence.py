"""Stay-in-touch cadence: the customer's own, else the shortest among their tags', else the business's; and the
card line "Last contact 47 days ago — due every 30"."""

import pytest
from django.urls import reverse

from core.business import business_settings
from customers.models import Customer
from insights.at_risk import cadence_expression
from tests.factories import CustomerFactory, InteractionFactory, TagFactory, UserFactory
from tests.insights.conftest import NOW, days_ago


def cadence_of(customer, **kwargs) -> int:
    return Customer.objects.annotate(cadence=cadence_expression(**kwargs)).get(pk=customer.pk).cadence


@pytest.fixture
def tags(db):
    return {
        "vip": TagFactory(name="VIP", contact_every_days=30),
        "garden": TagFactory(name="Garden", contact_every_days=60),
        "plain": TagFactory(name="Plain"),
    }


def test_the_customers_own_cadence_comes_first(tags):
    customer = CustomerFactory(contact_every_days=45)
    customer.tags.set([tags["vip"]])

    assert cadence_of(customer) == 45


def test_without_their_own_the_shortest_among_their_tags_counts(tags):
    customer = CustomerFactory()
    customer.tags.set([tags["garden"], tags["vip"], tags["plain"]])

    assert cadence_of(customer) == 30


def test_without_either_the_business_default_counts(tags):
    settings_row = business_settings()
    settings_row.default_cadence_days = 120
    settings_row.save()
    customer = CustomerFactory()
    customer.tags.set([tags["plain"]])

    assert cadence_of(customer) == 120
    assert cadence_of(customer, default_days=75) == 75  # a caller that read the settings already


def test_before_the_settings_are_saved_the_default_is_ninety_days(db):
    assert cadence_of(CustomerFactory()) == 90


# The card line -----------------------------------------------------------------------------------------------

def card(client, customer) -> str:
    return client.get(reverse("customers:detail", args=[customer.pk])).content.decode()


@pytest.mark.clock(NOW)
def test_the_card_says_when_we_last_spoke_and_warns_when_past_due(worker_client, tags):
    # Given: a VIP (every 30 days) last called 47 days ago, and an older visit before it
    customer = CustomerFactory(name="Vera")
    customer.tags.set([tags["vip"]])
    InteractionFactory(customer=customer, occurred_at=days_ago(47))
    InteractionFactory(customer=customer, occurred_at=days_ago(80))

    # When
    page = card(worker_client, customer)

    # Then
    assert "Last contact" in page and "47 days ago</time> — due every 30" in page
    assert "Past due" in page and "border-warning" in page


@pytest.mark.clock(NOW)
def test_the_card_is_calm_when_a_contact_is_recent(worker_client, tags):
    customer = CustomerFactory()
    customer.tags.set([tags["garden"]])
    InteractionFactory(customer=customer, occurred_at=days_ago(1))

    page = card(worker_client, customer)

    assert "yesterday</time> — due every 60" in page
    assert "Past due" not in page


@pytest.mark.clock(NOW)
def test_the_card_says_when_no_contact_was_ever_logged(worker_client):
    customer = CustomerFactory()

    assert "No contact logged yet — due every 90" in card(worker_client, customer)


@pytest.mark.clock(NOW)
@pytest.mark.parametrize("size", [1, 12])
def test_the_card_line_costs_one_query(rf, tags, size, django_assert_num_queries):
    from insights.sections import card_context

    customer = CustomerFactory()
    customer.tags.set([tags["vip"], tags["garden"]])
    for n in range(size):
        InteractionFactory(customer=customer, occurred_at=days_ago(n + 1))
    request = rf.get("/")
    request.user = UserFactory(time_zone="UTC")

    with django_assert_num_queries(1):
        context = card_context(customer=customer, request=request)

    assert context["cadence"] == 30 and context["days_ago"] == "yesterday"


def test_the_owner_sets_a_tags_cadence_in_the_admin(owner_client, tags):
    url = reverse("admin:customers_tag_change", args=[tags["plain"].pk])

    owner_client.post(url, {"name": "Plain", "contact_every_days": "21"})

    tags["plain"].refresh_from_db()
    assert tags["plain"].contact_every_days == 21
    assert 'name="form-0-contact_every_days"' in owner_client.get(reverse("admin:customers_tag_changelist")).content.decode()
