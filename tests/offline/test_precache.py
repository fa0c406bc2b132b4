import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory, FollowUpFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_requires_login(client):
    response = client.get(reverse("offline:precache"))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_lists_the_cards_of_this_weeks_follow_ups_of_the_user(worker_client, worker):
    today = timezone.localdate()
    soon = FollowUpFactory(assigned_to=worker, due_date=today + datetime.timedelta(days=7),
                           customer=CustomerFactory(name="Ada Soon"))
    overdue = FollowUpFactory(assigned_to=worker, due_date=today - datetime.timedelta(days=2),
                              customer=CustomerFactory(name="Bea Late"))
    FollowUpFactory(assigned_to=worker, due_date=today + datetime.timedelta(days=8), customer=CustomerFactory(name="Cy Later"))
    FollowUpFactory(assigned_to=worker, due_date=today, done_at=timezone.now(), customer=CustomerFactory(name="Di Done"))
    FollowUpFactory(assigned_to=UserFactory(), due_date=today, customer=CustomerFactory(name="Ed Other"))

    response = worker_client.get(reverse("offline:precache"))

    assert response.json() == {"customers": [
        {"name": "Ada Soon", "card": f"/customers/{soon.customer_id}/", "log": f"/customers/{soon.customer_id}/log/"},
        {"name": "Bea Late", "card": f"/customers/{overdue.customer_id}/", "log": f"/customers/{overdue.customer_id}/log/"},
    ]}
    assert "no-cache" in response["Cache-Control"]


def test_a_customer_with_two_follow_ups_is_listed_once(worker_client, worker):
    customer = CustomerFactory()
    FollowUpFactory.create_batch(2, assigned_to=worker, customer=customer)

    response = worker_client.get(reverse("offline:precache"))

    assert [c["card"] for c in response.json()["customers"]] == [customer.get_absolute_url()]


@pytest.mark.parametrize("size", [1, 10])
def test_its_query_count_does_not_grow_with_the_customers(worker_client, worker, django_assert_num_queries, size):
    for _ in range(size):
        FollowUpFactory(assigned_to=worker)

    # session, user, the customers
    with django_assert_num_queries(3):
        response = worker_client.get(reverse("offline:precache"))

    assert len(response.json()["customers"]) == size


def test_a_card_fetched_in_the_background_does_not_become_the_last_customer(worker_client):
    seen, precached = CustomerFactory(name="Ada Seen"), CustomerFactory(name="Bea Precached")
    worker_client.get(seen.get_absolute_url())

    response = worker_client.get(precached.get_absolute_url(), headers={"X-Offline-Precache": "1"})

    assert response.status_code == 200
    assert worker_client.session["last_customer"] == {"id": seen.pk, "name": "Ada Seen"}


def test_the_phone_asks_how_to_list_a_card_it_saved(worker_client):
    customer = CustomerFactory(name="Ada Seen")

    response = worker_client.get(reverse("offline:saved_customer", args=[customer.pk]))

    assert response.json() == {"name": "Ada Seen", "card": f"/customers/{customer.pk}/",
                               "log": f"/customers/{customer.pk}/log/"}
    assert "no-cache" in response["Cache-Control"]


def test_listing_a_card_needs_login(client):
    response = client.get(reverse("offline:saved_customer", args=[CustomerFactory().pk]))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_listing_an_unknown_customer_is_not_found(worker_client):
    assert worker_client.get(reverse("offline:saved_customer", args=[999999])).status_code == 404


def test_listing_a_card_costs_three_queries(worker_client, django_assert_num_queries):
    customer = CustomerFactory()

    # session, user, the customer
    with django_assert_num_queries(3):
        worker_client.get(reverse("offline:saved_customer", args=[customer.pk]))
