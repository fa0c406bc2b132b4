"""An interaction edited after it was logged says so in the timeline; a deleted one stays in the history."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from interactions.models import Interaction
from tests.factories import CustomerFactory, InteractionFactory
from tests.history.pages import card, client_for, form_as_shown, history_html

MOMENT = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)



def item_html(html: str, interaction) -> str:
    start = html.index(f'id="interaction-{interaction.pk}"')
    return html[start:html.index("</li>", start)]



@pytest.mark.clock(MOMENT)
def test_an_interaction_edited_by_another_user_says_who_and_when(owner_client, owner, worker):
    # Given a call the worker logged, and the owner (in New York) corrects it at 14:00 UTC
    interaction = InteractionFactory(user=worker, asked_for="A quote for the hedge")
    owner.time_zone = "America/New_York"
    owner.save(update_fields=["time_zone"])
    edit = reverse("interactions:edit", args=[interaction.pk])
    response = owner_client.post(edit, form_as_shown(owner_client.get(edit), asked_for="A quote for the hedge and the lawn"))
    assert response.status_code == 302

    # When the card is opened
    html = card(owner_client, interaction.customer)

    # Then the timeline says who edited it and when, in the reader's zone
    assert "edited by Olivia Owner at" in item_html(html, interaction)
    assert "Tue 10 Mar 2026, 10:00" in item_html(html, interaction)
    # And the history says what changed
    assert "changed\n      the interaction of 10 Mar:" in history_html(html)
    assert "A quote for the hedge and the lawn" in history_html(html)


def test_an_interaction_never_edited_says_nothing_more(worker_client, worker):
    interaction = InteractionFactory(user=worker)

    html = card(worker_client, interaction.customer)

    assert "edited by" not in item_html(html, interaction)


@pytest.mark.clock(MOMENT)
def test_the_owner_sees_a_deleted_interaction_in_the_history(owner_client, worker):
    # Given a call of 3 Mar that the worker deleted
    interaction = InteractionFactory(user=worker, occurred_at=datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC))
    customer = interaction.customer
    client_for(worker).post(reverse("interactions:delete", args=[interaction.pk]))
    assert not Interaction.objects.exists()

    # When the owner opens the card
    owner_html = history_html(card(owner_client, customer))

    # Then the owner sees who deleted it
    assert "Will Worker</span> deleted\n      the interaction of 3 Mar" in owner_html


@pytest.mark.clock(MOMENT)
def test_a_field_worker_does_not_see_deletions(worker_client, worker):
    interaction = InteractionFactory(user=worker, occurred_at=datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC))
    customer = interaction.customer
    worker_client.post(reverse("interactions:delete", args=[interaction.pk]))

    html = history_html(card(worker_client, customer))

    assert "deleted" not in html
    assert "added\n      the interaction of 3 Mar" in html


def test_a_field_worker_never_sees_money_changes(owner_client, worker):
    # Given the owner changed only the amount charged on a visit
    interaction = InteractionFactory(user=worker, channel=Interaction.Channel.VISIT, amount_charged=Decimal("120"))
    customer = interaction.customer
    edit = reverse("interactions:edit", args=[interaction.pk])
    owner_client.post(edit, form_as_shown(owner_client.get(edit), amount_charged="145.50"))
    assert Interaction.objects.get().amount_charged == Decimal("145.50")

    # When each opens the card
    owner_html = history_html(card(owner_client, customer))
    worker_html = history_html(card(client_for(worker), customer))

    # Then the owner sees the amounts; the worker sees no change of money, nor any amount
    assert 'amount charged: <span class="history-old">120.00</span> → <span class="history-new">145.50</span>' in owner_html
    assert "amount charged" not in worker_html and "145.50" not in worker_html and "120.00" not in worker_html
    assert "changed" not in worker_html


def test_a_field_worker_sees_the_rest_of_a_change_with_money(owner_client, worker):
    interaction = InteractionFactory(user=worker, channel=Interaction.Channel.VISIT, amount_charged=Decimal("120"))
    edit = reverse("interactions:edit", args=[interaction.pk])
    owner_client.post(edit, form_as_shown(owner_client.get(edit), amount_charged="99", asked_for="Hedge only"))

    html = history_html(card(client_for(worker), interaction.customer))

    assert "Hedge only" in html
    assert "amount" not in html and "99.00" not in html


def test_the_history_of_one_customer_leaves_other_customers_out(owner_client, worker):
    mine, other = CustomerFactory(), CustomerFactory()
    InteractionFactory(customer=other, user=worker, occurred_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))

    html = history_html(card(owner_client, mine))

    assert "interaction" not in html
