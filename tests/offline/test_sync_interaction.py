import datetime
import json
import uuid
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import FollowUp
from interactions.models import Interaction
from offline.services import interaction_sync
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/offline/sync/interaction/"


def visit(customer, key=None, **data):
    fields = {"channel": "visit", "direction": "outbound", "occurred_at": "2026-11-20T10:30",
              "asked_for": "Trim the hedge", **data}
    return {"client_key": str(key or uuid.uuid4()), "customer": customer.pk, "data": fields}


def post(client, payload):
    return client.post(URL, json.dumps(payload), content_type="application/json")


def test_it_requires_login(client):
    customer = CustomerFactory()

    response = post(client, visit(customer))

    assert response.status_code == 302
    assert Interaction.objects.count() == 0


def test_it_stores_a_visit_logged_on_a_phone(worker_client, worker):
    customer = CustomerFactory()
    payload = visit(customer)

    response = post(worker_client, payload)

    assert response.status_code == 201
    interaction = Interaction.objects.get()
    assert response.json() == {"id": interaction.pk, "created": True, "customer_url": customer.get_absolute_url()}
    assert interaction.customer == customer
    assert interaction.user == worker
    assert interaction.channel == "visit"
    assert interaction.asked_for == "Trim the hedge"
    assert str(interaction.client_key) == payload["client_key"]


def test_the_same_visit_sent_twice_is_stored_once(worker_client):
    customer = CustomerFactory()
    payload = visit(customer)

    first = post(worker_client, payload)
    second = post(worker_client, payload)

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["created"] is False
    assert Interaction.objects.count() == 1


def test_a_race_on_the_same_key_returns_the_stored_visit(worker):
    customer = CustomerFactory()
    key = uuid.uuid4()
    fields = {"channel": "visit", "direction": "outbound", "occurred_at": timezone.now()}
    first, created = interaction_sync(customer=customer, user=worker, client_key=key, fields=fields)

    # The first read misses the row, as when another request commits it between our read and our write.
    with mock.patch("offline.services._stored", side_effect=[None, first]):
        again, created_again = interaction_sync(customer=customer, user=worker, client_key=key, fields=fields)

    assert created and not created_again
    assert again.pk == first.pk
    assert Interaction.objects.count() == 1


def test_the_follow_up_set_with_the_visit_is_created(worker_client, worker):
    customer = CustomerFactory()
    due = timezone.localdate() + datetime.timedelta(days=3)

    post(worker_client, visit(customer, followup_description="Bring the quote", followup_due=due.isoformat(),
                              followup_assignee=str(worker.pk)))

    followup = FollowUp.objects.get()
    assert (followup.description, followup.due_date, followup.assigned_to) == ("Bring the quote", due, worker)
    assert followup.interaction == Interaction.objects.get()


def test_a_field_worker_cannot_set_money(worker_client):
    customer = CustomerFactory()

    post(worker_client, visit(customer, amount_charged="500", amount_refunded="20"))

    interaction = Interaction.objects.get()
    assert interaction.amount_charged == Decimal("0")
    assert interaction.amount_refunded == Decimal("0")


def test_the_owner_can_set_money(owner_client):
    customer = CustomerFactory()

    post(owner_client, visit(customer, amount_charged="80.50"))

    assert Interaction.objects.get().amount_charged == Decimal("80.50")


def test_checkboxes_sent_as_on_are_stored(worker_client):
    customer = CustomerFactory()

    post(worker_client, visit(customer, asked_for_referral="on"))

    assert Interaction.objects.get().asked_for_referral is True


def test_an_invalid_visit_is_refused_with_the_reasons(worker_client):
    customer = CustomerFactory()

    response = post(worker_client, visit(customer, followup_description="Bring the quote"))

    assert response.status_code == 400
    assert response.json()["errors"]["followup_due"][0]["message"] == "Say when the follow-up is due."
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize("body", ["not json", json.dumps({"customer": 1}), json.dumps({"client_key": "x", "customer": 1}),
                                  json.dumps([1, 2])])
def test_a_malformed_request_is_refused(worker_client, body):
    response = worker_client.post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert Interaction.objects.count() == 0


def test_an_unknown_customer_is_not_found(worker_client):
    payload = visit(CustomerFactory())
    payload["customer"] = 999999

    assert post(worker_client, payload).status_code == 404


def test_it_needs_the_csrf_token(worker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)

    response = post(client, visit(CustomerFactory()))

    assert response.status_code == 403
    assert Interaction.objects.count() == 0


def test_a_visit_sent_from_the_form_says_logged_on_the_card(worker_client):
    customer = CustomerFactory()
    payload = {**visit(customer), "announce": True}

    post(worker_client, payload)

    assert "Logged." in worker_client.get(customer.get_absolute_url()).content.decode()


def test_it_only_accepts_post(worker_client):
    assert worker_client.get(URL).status_code == 405


def test_the_visit_time_is_read_in_the_users_time_zone(worker_client, worker):
    worker.time_zone = "America/New_York"
    worker.save()
    customer = CustomerFactory()

    post(worker_client, visit(customer, occurred_at="2026-07-01T09:00"))

    assert Interaction.objects.get().occurred_at == datetime.datetime(2026, 7, 1, 13, 0, tzinfo=datetime.UTC)


def test_the_sync_url_is_where_the_phone_sends(worker_client):
    assert reverse("offline:sync_interaction") == URL


def test_a_visit_queued_by_someone_else_on_the_phone_is_not_stored_as_mine(worker_client, worker, owner):
    customer = CustomerFactory()
    theirs = visit(customer) | {"logged_by": owner.pk}
    mine = visit(customer) | {"logged_by": worker.pk}

    refused = post(worker_client, theirs)
    accepted = post(worker_client, mine)

    assert refused.status_code == 409
    assert "someone else" in refused.json()["errors"]["__all__"][0]["message"]
    assert accepted.status_code == 201
    assert list(Interaction.objects.values_list("user", flat=True)) == [worker.pk]
