"""A tag id past the database's integers is an unknown choice, not a server error."""

import pytest
from django.urls import reverse

from customers.models import Customer

pytestmark = pytest.mark.django_db


def test_a_tag_id_too_big_for_the_database_is_refused_not_a_server_error(owner_client):
    response = owner_client.post(reverse("customers:create"), {"name": "Ann", "tags": ["99999999999999999999"],
                                                                "kind": "household", "status": "active",
                                                                "preferred_contact": "any"})
    assert response.status_code == 200
    assert response.context["form"].errors["tags"][0].startswith("Select a valid choice")
    assert not Customer.objects.exists()
