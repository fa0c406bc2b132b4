"""A deleted customer leaves every page, list, count and email, and comes back from the trash exactly as they were."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionPlan, ActionStep
from customers.models import Customer, Tag
from feedback.models import Feedback, FeedbackItem, FeedbackRequest
from followups.models import FollowUp
from interactions.models import Interaction
from reminders.digest import digest_section_list
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory
from tests.feedback.factories import FeedbackFactory
from tests.trash.conftest import live_rows
from today.selectors import today_agenda
from trash.models import TrashedCustomer
from trash.rows import RestoreRefused
from trash.services import customer_delete, trashed_customer_restore

NOW = datetime.datetime(2026, 6, 8, 9, 30, tzinfo=datetime.UTC)

PAGES = {
    "customer list": reverse("customers:list"),
    "search": reverse("customers:list") + "?q=Mia",
    "quick search": reverse("customers:quick_search") + "?q=Mia",
    "today": reverse("today"),
    "feedback": reverse("feedback:list"),
    "plans": reverse("actionplans:list"),
}


# Her name, her plan's title, what she asked for, her follow-up, her feedback.
MIA_TRACES = ("Mia Lane", "Win Mia back", "Trim the hedge", "Call Mia about the hedge", "Tidy")


# What stays on each page (a search for her finds nobody).
STILL_THERE = {"customer list": "Bob Other", "today": "Call Bob", "feedback": "Friendly", "plans": "Everyone plan"}


def delete_url(customer):
    return reverse("trash:customer_delete", args=[customer.pk])


def digest_text(user) -> str:
    """Everything the weekly email's sections would say to `user` (their contexts, as text)."""
    return repr([section["context"] for section in digest_section_list(user=user, today=NOW.date(), now=NOW)])


@pytest.mark.clock(NOW)
def test_the_confirmation_names_everything_that_goes_with_them(owner_client, world):
    html = owner_client.get(delete_url(world["mia"])).content.decode()

    for line in ("2 interactions", "2 follow-ups", "1 feedback<", "3 feedback answers", "2 feedback requests",
                 "1 action plan<", "2 plan steps"):
        assert line in html, line
    assert "1 customer they referred will stay" in html
    assert "relationship" not in html  # her tags stay: the links to them ("customer-tag relationships") are no news


@pytest.mark.clock(NOW)
@pytest.mark.parametrize("size", [1, 4])
def test_the_confirmation_runs_the_same_queries_for_any_amount(owner_client, world, size, django_assert_num_queries):

    mia = world["mia"]
    for _ in range(size):
        InteractionFactory(customer=mia)
        FeedbackFactory(customer=mia, likes=["More"])
        CustomerFactory(referred_by=mia)
    # session, user, the customer, owner group (is_owner); then Django's delete collector, one query per related
    # model: her tag links, follow-ups, interactions, feedback, its answers, feedback requests, plans, their steps,
    # the imports' records of her;
    # then one per link that would be cut: the customers she referred, the answers pointing at her follow-ups,
    # the follow-ups pointing at her interactions, the requests pointing at her feedback
    with django_assert_num_queries(17):
        response = owner_client.get(delete_url(mia))
    assert f"{2 + size} interactions" in response.content.decode()


@pytest.mark.clock(NOW)
def test_a_deleted_customer_leaves_every_page_list_count_and_email(owner_client, owner, worker, world):
    # Given: she is everywhere
    before = {name: owner_client.get(url).content.decode() for name, url in PAGES.items()}
    for name, html in before.items():
        assert "Mia Lane" in html, name
    assert "Mia Lane" in digest_text(owner) and "Mia Lane" in digest_text(worker)
    assert today_agenda(user=owner).counts["due_today"] == 2

    # When (following the redirect shows the "was deleted" message, which names her, once)
    owner_client.post(delete_url(world["mia"]), follow=True)

    # Then: not on any page, while Bob still is
    for name, url in PAGES.items():
        html = owner_client.get(url).content.decode()
        for trace in MIA_TRACES:
            assert trace not in html, (name, trace)
        assert STILL_THERE.get(name, "") in html, name
    assert "Mia Lane" not in digest_text(owner) and "Mia Lane" not in digest_text(worker)
    assert today_agenda(user=owner).counts["due_today"] == 1
    # and her rows are really gone, not hidden
    mia_id = world["mia"].pk
    assert not Customer.objects.filter(pk=mia_id).exists()
    assert not Interaction.objects.filter(customer_id=mia_id).exists()
    assert not FollowUp.objects.filter(customer_id=mia_id).exists()
    assert not Feedback.objects.filter(customer_id=mia_id).exists()
    assert not FeedbackItem.objects.filter(feedback_id=world["feedback"].pk).exists()
    assert not FeedbackRequest.objects.filter(customer_id=mia_id).exists()
    assert not ActionPlan.objects.filter(customer_id=mia_id).exists()
    assert not ActionStep.objects.filter(plan_id=world["plan"].pk).exists()
    assert Customer.objects.filter(name="Bob Other").exists()
    assert Customer.objects.get(pk=world["friend"].pk).referred_by is None


@pytest.mark.clock(NOW)
def test_restoring_brings_every_row_back_with_the_same_ids_and_values(owner_client, world):
    before = live_rows()
    owner_client.post(delete_url(world["mia"]))
    assert live_rows() != before
    assert "customers.Customer_tags" in before and before["customers.Customer_tags"]
    [trashed] = TrashedCustomer.objects.all()

    response = owner_client.post(reverse("trash:restore", args=[trashed.pk]), follow=True)

    assert response.redirect_chain[-1][0] == world["mia"].get_absolute_url()
    assert "Mia Lane is back, with everything that went with them." in response.content.decode()
    after = live_rows()
    for label in before:
        assert after[label] == before[label], label
    assert Customer.objects.get(pk=world["friend"].pk).referred_by_id == world["mia"].pk
    assert not TrashedCustomer.objects.exists()


@pytest.mark.clock(NOW)
def test_deleting_and_restoring_are_in_the_history(owner_client, owner, world):
    mia = world["mia"]
    owner_client.post(delete_url(mia))
    deleted = Customer.history.filter(id=mia.pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == owner
    assert Interaction.history.filter(customer_id=mia.pk, history_type="-").count() == 2

    owner_client.post(reverse("trash:restore", args=[TrashedCustomer.objects.get().pk]))

    restored = Customer.history.filter(id=mia.pk).latest()
    assert restored.history_type == "+" and restored.history_user == owner
    assert ActionStep.history.filter(plan_id=world["plan"].pk, history_type="+", history_user=owner).count() == 2


@pytest.mark.clock(NOW)
def test_a_referral_given_another_referrer_meanwhile_keeps_it(owner_client, world):
    owner_client.post(delete_url(world["mia"]))
    friend = world["friend"]
    Customer.objects.filter(pk=friend.pk).update(referred_by=world["ann"])

    owner_client.post(reverse("trash:restore", args=[TrashedCustomer.objects.get().pk]))

    assert Customer.objects.get(pk=friend.pk).referred_by_id == world["ann"].pk


@pytest.mark.clock(NOW)
def test_a_colleague_gone_meanwhile_hands_their_rows_to_the_one_restoring(owner_client, owner, world, someone):
    mia = world["mia"]

    followup = FollowUpFactory(customer=mia, assigned_to=someone, created_by=someone)
    interaction = InteractionFactory(customer=mia, user=someone)
    owner_client.post(delete_url(mia))
    someone.delete()

    response = owner_client.post(reverse("trash:restore", args=[TrashedCustomer.objects.get().pk]), follow=True)

    html = response.content.decode()
    assert "1 row of theirs belonged to someone no longer in the team: it is yours now." in html
    assert "2 rows of theirs named someone no longer in the team, and now name nobody." in html
    followup = FollowUp.objects.get(pk=followup.pk)
    assert followup.assigned_to == owner and followup.created_by is None
    assert Interaction.objects.get(pk=interaction.pk).user is None


@pytest.mark.clock(NOW)
def test_a_tag_removed_meanwhile_is_left_off(owner_client, world):
    mia = world["mia"]
    owner_client.post(delete_url(mia))

    Tag.objects.filter(name="pool").delete()

    owner_client.post(reverse("trash:restore", args=[TrashedCustomer.objects.get().pk]))

    assert [tag.name for tag in Customer.objects.get(pk=mia.pk).tags.all()] == ["hedges"]


@pytest.mark.clock(NOW)
def test_restore_is_refused_when_an_id_is_taken_again_and_nothing_changes(owner_client, world):
    mia = world["mia"]
    owner_client.post(delete_url(mia))

    CustomerFactory(id=mia.pk, name="Someone New")
    trashed = TrashedCustomer.objects.get()

    response = owner_client.post(reverse("trash:restore", args=[trashed.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("trash:list")
    assert "Mia Lane could not be restored: Some of their customers exist again" in response.content.decode()
    assert TrashedCustomer.objects.filter(pk=trashed.pk).exists()
    assert Customer.objects.get(pk=mia.pk).name == "Someone New"
    assert not Interaction.objects.filter(customer_id=mia.pk).exists()


def test_restoring_twice_restores_once(owner, world):
    mia_id = world["mia"].pk
    trashed = customer_delete(customer=world["mia"], deleted_by=owner)
    trashed_customer_restore(trashed_id=trashed.pk, restored_by=owner)

    with pytest.raises(RestoreRefused, match="no longer in the trash"):
        trashed_customer_restore(trashed_id=trashed.pk, restored_by=owner)
    assert Customer.objects.filter(pk=mia_id).count() == 1


def test_the_trash_keeps_them_for_the_retention_days(owner, world, settings):
    settings.TRASH_RETENTION_DAYS = 7
    mia_id = world["mia"].pk

    trashed = customer_delete(customer=world["mia"], deleted_by=owner)

    assert trashed.purge_after - trashed.deleted_at == datetime.timedelta(days=7)
    assert abs(trashed.deleted_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert trashed.deleted_by == owner and trashed.customer_pk == mia_id and trashed.name == "Mia Lane"
