import datetime

import pytest
from django.urls import reverse

from followups.models import FollowUp
from tests.factories import FollowUpFactory, InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["interactions_interaction", "followups_followup"])
def test_the_owner_searches_and_filters_in_the_admin(owner_client, model):
    FollowUpFactory(description="Send the hedge quote", customer=InteractionFactory(asked_for="Hedge").customer)
    url = reverse(f"admin:{model}_changelist")

    searched = owner_client.get(url, {"q": "hedge"})
    unfound = owner_client.get(url, {"q": "zzz-nothing"})

    assert searched.status_code == 200
    assert searched.context["cl"].result_count == 1
    assert unfound.context["cl"].result_count == 0


def test_a_field_worker_has_no_admin(worker_client):
    response = worker_client.get(reverse("admin:interactions_interaction_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_a_followup_added_beside_an_interaction_in_the_admin_gets_its_customer(owner_client, owner):
    interaction = InteractionFactory(user=owner)
    url = reverse("admin:interactions_interaction_change", args=[interaction.pk])
    page = owner_client.get(url)
    data = {
        key: value for key, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, datetime.datetime)
    }
    data.update({
        "customer": interaction.customer_id,
        "user": owner.pk,
        "occurred_at_0": "2026-03-10",
        "occurred_at_1": "14:00:00",
        "followups-TOTAL_FORMS": "1",
        "followups-INITIAL_FORMS": "0",
        "followups-MIN_NUM_FORMS": "0",
        "followups-MAX_NUM_FORMS": "1000",
        "followups-0-description": "Ring about the invoice",
        "followups-0-due_date": "2026-03-12",
        "followups-0-assigned_to": owner.pk,
        "followups-0-attempts": "1",
    })

    response = owner_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    followup = FollowUp.objects.get()
    assert followup.customer == interaction.customer
    assert followup.interaction == interaction
    assert followup.created_by == owner
