"""Offboarding in one step: the leaver's access ends and their work goes to someone the owner picks."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from followups.models import FollowUp
from team.services import user_deactivate, user_reactivate
from tests.factories import CustomerFactory, FollowUpFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(db):
    return UserFactory(username="sam", first_name="Sam", last_name="Second", role="field_worker")


def _deactivate(client, leaver, successor):
    return client.post(reverse("team:deactivate", args=[leaver.pk]), {"successor": successor.pk}, follow=True)


def test_the_page_says_what_will_happen_and_offers_the_others(owner_client, owner, worker, sam):
    FollowUpFactory.create_batch(2, assigned_to=worker)
    FollowUpFactory(assigned_to=worker, done_at=timezone.now())
    CustomerFactory.create_batch(3, assigned_to=worker)
    UserFactory(first_name="Gone", is_active=False)

    response = owner_client.get(reverse("team:deactivate", args=[worker.pk]))

    page = response.content.decode()
    assert "Their 2 open follow-ups and the 3 customers they look after" in page
    successors = response.context["form"].fields["successor"].queryset
    assert set(successors) == {owner, sam}  # not the leaver, not someone gone
    assert response.context["form"]["successor"].value() == owner.pk


def test_confirming_moves_exactly_the_open_follow_ups_and_the_customers(owner_client, owner, worker, sam):
    open_ones = FollowUpFactory.create_batch(2, assigned_to=worker)
    done = FollowUpFactory(assigned_to=worker, done_at=timezone.now(), done_by=worker)
    someone_elses = FollowUpFactory(assigned_to=owner)
    customers = CustomerFactory.create_batch(2, assigned_to=worker)
    unassigned = CustomerFactory(assigned_to=None)

    response = _deactivate(owner_client, worker, sam)

    assert "Will Worker can no longer sign in. Sam Second now has their 2 open follow-ups and 2 customers." in (
        response.content.decode()
    )
    worker.refresh_from_db()
    assert not worker.is_active
    assert set(FollowUp.objects.filter(assigned_to=sam)) == set(open_ones)
    assert FollowUp.objects.get(pk=done.pk).assigned_to == worker  # who did it stays who did it
    assert FollowUp.objects.get(pk=someone_elses.pk).assigned_to == owner
    assert set(Customer.objects.filter(assigned_to=sam)) == set(customers)
    assert Customer.objects.get(pk=unassigned.pk).assigned_to is None


def test_the_history_shows_who_had_them_before(owner_client, owner, worker, sam):
    followup = FollowUpFactory(assigned_to=worker)
    customer = CustomerFactory(assigned_to=worker)

    _deactivate(owner_client, worker, sam)

    for record in (followup.history.all(), customer.history.all()):
        latest, before = list(record[:2])
        assert latest.assigned_to_id == sam.pk
        assert before.assigned_to_id == worker.pk
        assert latest.history_type == "~"
        assert latest.history_user == owner
        assert latest.history_change_reason == "Reassigned from Will Worker when they left"


def test_rows_made_without_history_get_their_old_assignee_recorded_first(owner, worker):
    # bulk_create (the demo data, rows from before history was kept) writes no history.
    FollowUpFactory._meta.model.objects.bulk_create(
        [FollowUp(customer=CustomerFactory(), assigned_to=worker, description="Old one", due_date=timezone.localdate())]
    )
    Customer.objects.bulk_create([Customer(name="Old customer", assigned_to=worker)])
    FollowUp.history.all().delete()
    Customer.history.all().delete()

    user_deactivate(user=worker, successor=owner, changed_by=owner)

    for model in (FollowUp, Customer):
        latest, before = list(model.history.order_by("-history_date", "-history_id"))
        assert (before.assigned_to_id, latest.assigned_to_id) == (worker.pk, owner.pk)
        assert latest.history_change_reason == "Reassigned from Will Worker when they left"


def test_the_leavers_signed_in_browser_is_sent_to_the_login_page_at_its_next_request(owner, worker, client):
    client.force_login(worker)
    assert client.get(reverse("today")).status_code == 200

    user_deactivate(user=worker, successor=owner, changed_by=owner)

    response = client.get(reverse("today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    refused = client.post(reverse("login"), {"username": "will", "password": "pw"})
    assert refused.status_code == 200  # the form again: an inactive account cannot sign in


def test_reactivating_does_not_bring_back_the_sessions_they_had(owner, worker, client):
    client.force_login(worker)

    user_deactivate(user=worker, successor=owner, changed_by=owner)
    user_reactivate(user=worker)

    response = client.get(reverse("today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_owner_cannot_deactivate_themselves(owner_client, owner):
    page = owner_client.get(reverse("team:deactivate", args=[owner.pk]), follow=True)
    posted = owner_client.post(reverse("team:deactivate", args=[owner.pk]), {"successor": owner.pk}, follow=True)

    assert "You cannot deactivate yourself" in page.content.decode()
    assert "You cannot deactivate yourself" in posted.content.decode()
    owner.refresh_from_db()
    assert owner.is_active
    with pytest.raises(ValidationError):
        user_deactivate(user=owner, successor=owner, changed_by=owner)


def test_the_work_cannot_go_to_the_leaver_or_to_someone_gone(owner_client, owner, worker):
    gone = UserFactory(is_active=False)

    to_self = owner_client.post(reverse("team:deactivate", args=[worker.pk]), {"successor": worker.pk})
    to_gone = owner_client.post(reverse("team:deactivate", args=[worker.pk]), {"successor": gone.pk})

    assert to_self.status_code == to_gone.status_code == 200
    assert "successor" in to_self.context["form"].errors
    worker.refresh_from_db()
    assert worker.is_active
    with pytest.raises(ValidationError):
        user_deactivate(user=worker, successor=gone, changed_by=owner)


def test_reactivating_is_one_button_and_they_can_sign_in_again(owner_client, owner, worker):
    user_deactivate(user=worker, successor=owner, changed_by=owner)

    response = owner_client.post(reverse("team:reactivate", args=[worker.pk]), follow=True)

    assert "Will Worker can sign in again." in response.content.decode()
    assert get_user_model().objects.get(pk=worker.pk).is_active
    phone = Client()
    phone.post(reverse("login"), {"username": "will", "password": "pw"})
    assert phone.get(reverse("today")).context["user"] == worker


def test_deactivating_someone_already_gone_changes_nothing(owner_client, owner):
    gone = UserFactory(is_active=False)
    customer = CustomerFactory(assigned_to=gone)

    response = owner_client.post(reverse("team:deactivate", args=[gone.pk]), {"successor": owner.pk}, follow=True)

    assert "already deactivated" in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).assigned_to == gone


def test_an_unknown_person_is_404(owner_client):
    assert owner_client.get(reverse("team:deactivate", args=[999999])).status_code == 404


@pytest.mark.parametrize("size", [1, 7])
def test_the_handover_runs_the_same_queries_for_any_amount_of_work(owner, worker, size, django_assert_num_queries):
    FollowUpFactory.create_batch(size, assigned_to=worker)
    CustomerFactory.create_batch(size, assigned_to=worker)

    # savepoint; lock the leaver; per model: lock the rows (with "has history"), update them, write their history;
    # save is_active; sign out everywhere (savepoint, new token, release); release
    with django_assert_num_queries(13):
        user_deactivate(user=worker, successor=owner, changed_by=owner)
