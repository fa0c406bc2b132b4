"""Pages with customer data are the signed-in user's alone: no shared cache keeps them, and the browser asks the
server again before showing a stored copy (core.middleware.PrivatePagesMiddleware)."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory


@pytest.fixture
def customer(db):
    return CustomerFactory(name="Ada Lovelace", access_notes="Gate code 4321")


def cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda customer: reverse("customers:detail", args=[customer.pk]), id="customer card"),
        pytest.param(lambda customer: reverse("today"), id="today"),
        pytest.param(lambda customer: reverse("interactions:create", args=[customer.pk]), id="log form"),
    ],
)
def test_pages_with_customer_data_are_private_and_never_shown_unchecked(worker_client, customer, page):
    response = worker_client.get(page(customer))

    assert response.status_code == 200
    assert {"private", "no-cache"} <= cache_control(response)
    assert "public" not in response["Cache-Control"]


def test_the_card_is_private_for_the_owner_too(owner_client, customer):
    response = owner_client.get(reverse("customers:detail", args=[customer.pk]))

    assert {"private", "no-cache"} <= cache_control(response)

