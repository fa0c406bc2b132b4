"""An offline client_key is scoped to its user: replaying someone else's never reveals or reuses their visit."""

import json
import uuid

import pytest

from interactions.models import Interaction
from tests.factories import CustomerFactory
from tests.offline.test_sync_interaction import URL, visit

pytestmark = pytest.mark.django_db


def post(client, payload):
    return client.post(URL, json.dumps(payload), content_type="application/json")


def test_another_users_key_stores_a_visit_of_their_own_and_never_returns_the_first_id(client_for, worker, owner):
    customer = CustomerFactory()
    key = uuid.uuid4()
    first = post(client_for(worker), visit(customer, key, asked_for="Will's visit"))

    replayed = post(client_for(owner), visit(customer, key, asked_for="Olivia's visit"))

    assert (first.status_code, replayed.status_code) == (201, 201)
    assert replayed.json()["id"] != first.json()["id"]
    assert replayed.json()["created"] is True
    mine, theirs = Interaction.objects.get(pk=first.json()["id"]), Interaction.objects.get(pk=replayed.json()["id"])
    assert (mine.user, mine.asked_for) == (worker, "Will's visit")
    assert (theirs.user, theirs.asked_for) == (owner, "Olivia's visit")


def test_the_same_user_sending_the_same_key_again_gets_the_same_visit(client_for, worker):
    customer = CustomerFactory()
    payload = visit(customer)
    browser = client_for(worker)

    first, again = post(browser, payload), post(browser, payload)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Interaction.objects.filter(user=worker).count() == 1


def test_the_database_holds_a_key_once_per_user(worker, owner):
    from django.db import IntegrityError, transaction

    customer = CustomerFactory()
    key = uuid.uuid4()
    Interaction.objects.create(customer=customer, user=worker, client_key=key)
    Interaction.objects.create(customer=customer, user=owner, client_key=key)

    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.create(customer=customer, user=worker, client_key=key)
