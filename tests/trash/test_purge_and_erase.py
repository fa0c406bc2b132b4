"""After the retention the purge erases a trashed customer for good; the owner can erase at once. Neither leaves
a row or a history row of theirs."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from customers.models import Customer
from interactions.models import Interaction
from tests.factories import CustomerFactory, InteractionFactory
from trash.models import TrashedCustomer
from trash.rows import history_manager
from trash.services import customer_delete, trashed_customer_erase
from trash.tasks import purge

NOW = datetime.datetime(2026, 6, 8, 9, 30, tzinfo=datetime.UTC)


def history_of(payload_ids: dict) -> dict:
    """{model label: history rows left} for the ids of each model that keeps history."""
    left = {}
    for label, ids in payload_ids.items():
        manager = history_manager(apps.get_model(label))
        if manager is not None:
            left[label] = manager.filter(id__in=ids).count()
    return left


def ids_of(trashed: TrashedCustomer) -> dict:
    ids = {}
    for entry in trashed.payload:
        ids.setdefault(entry["model"], set()).add(entry["pk"])
    return ids


@pytest.fixture
def trashed(world, owner):
    with time_machine.travel(NOW, tick=False):
        return customer_delete(customer=world["mia"], deleted_by=owner)


def test_the_purge_leaves_them_until_the_retention_is_over(trashed, settings):
    settings.TRASH_RETENTION_DAYS = 30

    with time_machine.travel(NOW + datetime.timedelta(days=29, hours=23), tick=False):
        assert purge() == 0

    assert TrashedCustomer.objects.filter(pk=trashed.pk).exists()
    assert all(history_of(ids_of(trashed)).values())


def test_after_the_retention_the_purge_leaves_no_row_and_no_history_row(trashed, world):
    ids = ids_of(trashed)
    assert set(ids) >= {"customers.customer", "interactions.interaction", "followups.followup", "feedback.feedback",
                        "feedback.feedbackitem", "feedback.feedbackrequest", "actionplans.actionplan",
                        "actionplans.actionstep", "customers.customer_tags"}
    assert all(history_of(ids).values())  # each model with history has rows for her before

    with time_machine.travel(NOW + datetime.timedelta(days=30, minutes=1), tick=False):
        assert purge() == 1

    assert not TrashedCustomer.objects.exists()
    for label, model_ids in ids.items():
        assert not apps.get_model(label)._base_manager.filter(pk__in=model_ids).exists(), label
    assert history_of(ids) == {label: 0 for label in history_of(ids)}
    # Those she referred, and everyone else, keep their rows and history
    assert Customer.history.filter(id=world["friend"].pk).exists()
    assert Customer.objects.filter(pk=world["bob"].pk).exists()
    assert Interaction.history.filter(customer_id=world["bob"].pk).exists()


def test_an_interaction_deleted_before_her_goes_from_the_history_too(world, owner):
    mia = world["mia"]
    earlier = InteractionFactory(customer=mia, asked_for="Something said long ago")
    earlier_id = earlier.pk
    earlier.delete()
    trashed = customer_delete(customer=mia, deleted_by=owner)

    trashed_customer_erase(trashed_id=trashed.pk)

    assert not Interaction.history.filter(id=earlier_id).exists()


def test_the_purge_is_bounded_and_idempotent(world, owner, settings):
    settings.TRASH_PURGE_BATCH_SIZE = 2
    with time_machine.travel(NOW, tick=False):
        for name in ("One", "Two", "Three"):
            customer_delete(customer=CustomerFactory(name=name), deleted_by=owner)

    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        assert purge() == 2
        assert TrashedCustomer.objects.count() == 1
        assert purge() == 1
        assert purge() == 0
    assert not TrashedCustomer.objects.exists()


def test_erasing_from_the_trash_leaves_no_row_and_no_history_row(owner_client, trashed):
    ids = ids_of(trashed)

    page = owner_client.get(reverse("trash:erase", args=[trashed.pk])).content.decode()
    response = owner_client.post(reverse("trash:erase", args=[trashed.pk]), follow=True)

    assert "Erase Mia Lane for good?" in page and "2 interactions" in page
    assert response.redirect_chain[-1][0] == reverse("trash:list")
    assert "Mia Lane was erased for good, with their history." in response.content.decode()
    assert not TrashedCustomer.objects.exists()
    assert history_of(ids) == {label: 0 for label in history_of(ids)}


def test_erasing_at_once_from_the_delete_page_keeps_nothing(owner_client, world):
    mia = world["mia"]
    interaction_ids = list(mia.interactions.values_list("pk", flat=True))

    response = owner_client.post(reverse("trash:customer_delete", args=[mia.pk]), {"erase": "on"}, follow=True)

    assert "Mia Lane was erased for good, with their history." in response.content.decode()
    assert not TrashedCustomer.objects.exists()
    assert not Customer.objects.filter(pk=mia.pk).exists()
    assert not Customer.history.filter(id=mia.pk).exists()
    assert not Interaction.history.filter(id__in=interaction_ids).exists()
    assert Customer.objects.get(pk=world["friend"].pk).referred_by is None
