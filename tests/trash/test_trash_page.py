"""The trash page: the owner's alone, newest first, with what went with each customer and when they go for good."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory
from trash.models import TrashedCustomer
from trash.services import customer_delete

LIST = reverse("trash:list")
NOW = datetime.datetime(2026, 6, 8, 9, 30, tzinfo=datetime.UTC)


def trash(name, *, by=None, when=NOW, interactions=0, referrals=0):
    customer = CustomerFactory(name=name)
    InteractionFactory.create_batch(interactions, customer=customer)
    for _ in range(referrals):
        CustomerFactory(referred_by=customer)
    with time_machine.travel(when, tick=False):
        return customer_delete(customer=customer, deleted_by=by)


def test_it_lists_the_newest_first_with_who_when_what_and_the_purge_date(owner_client, owner):
    trash("Old Oscar", by=owner, when=NOW - datetime.timedelta(days=3))
    trash("Mia Lane", by=owner, interactions=3, referrals=1)

    html = owner_client.get(LIST).content.decode()

    assert html.index("Mia Lane") < html.index("Old Oscar")
    assert "Deleted by Olivia Owner on 8 Jun 2026, 09:30" in html
    assert "With them: 3 interactions; links from 1 customer they referred come back too." in html
    assert "erased for good on 8 Jul 2026" in html
    assert html.count(">Restore</button>") == 2


def test_an_empty_trash_says_so(owner_client):
    assert "The trash is empty." in owner_client.get(LIST).content.decode()


def test_the_owner_sees_the_trash_in_the_menu_and_a_field_worker_does_not(client, owner, worker):
    client.force_login(owner)
    assert f'href="{LIST}"' in client.get(reverse("today")).content.decode()
    client.force_login(worker)
    assert f'href="{LIST}"' not in client.get(reverse("today")).content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_trash_page_runs_the_same_queries_for_any_number_of_customers(owner_client, owner, size,
                                                                          django_assert_num_queries):
    for i in range(size):
        trash(f"Customer {i}", by=owner, interactions=2, referrals=1)
    # session, user, owner group (is_owner), the count for the pager, the page of trashed customers with who deleted
    with django_assert_num_queries(5):
        response = owner_client.get(LIST)
    assert response.content.decode().count('id="trashed-') == size


def test_a_field_worker_gets_403_on_every_trash_page_and_nothing_changes(worker_client, owner):
    trashed = trash("Mia Lane", by=owner, interactions=1)
    restore, erase = reverse("trash:restore", args=[trashed.pk]), reverse("trash:erase", args=[trashed.pk])

    assert worker_client.get(LIST).status_code == 403
    assert worker_client.post(restore).status_code == 403
    assert worker_client.get(erase).status_code == 403
    assert worker_client.post(erase).status_code == 403

    assert TrashedCustomer.objects.filter(pk=trashed.pk).exists()


def test_restore_takes_only_a_post(owner_client, owner):
    trashed = trash("Mia Lane", by=owner)

    assert owner_client.get(reverse("trash:restore", args=[trashed.pk])).status_code == 405
    assert TrashedCustomer.objects.filter(pk=trashed.pk).exists()


def test_a_customer_no_longer_in_the_trash_is_a_404(owner_client):
    assert owner_client.post(reverse("trash:restore", args=[999999])).status_code == 404
    assert owner_client.get(reverse("trash:erase", args=[999999])).status_code == 404


@pytest.mark.clock(NOW)
def test_a_followup_comes_back_on_todays_page_after_restore(owner_client, owner):
    mia = CustomerFactory(name="Mia Lane")
    FollowUpFactory(customer=mia, assigned_to=owner, description="Call Mia", due_date=NOW.date())
    owner_client.post(reverse("trash:customer_delete", args=[mia.pk]), follow=True)
    assert "Call Mia" not in owner_client.get(reverse("today")).content.decode()

    response = owner_client.post(reverse("trash:restore", args=[TrashedCustomer.objects.get().pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("customers:detail", args=[mia.pk])
    assert "Call Mia" in owner_client.get(reverse("today")).content.decode()
