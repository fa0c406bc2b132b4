"""Deleting a customer: owner only, after a page that says what goes with them."""

from django.urls import reverse

from customers.models import Customer
from followups.models import FollowUp
from interactions.models import Interaction
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory


def delete_url(customer):
    return reverse("trash:customer_delete", args=[customer.pk])


def test_a_field_worker_cannot_delete(worker_client):
    mia = CustomerFactory(name="Mia Lane")

    response = worker_client.post(delete_url(mia), follow=True)

    assert Customer.objects.filter(pk=mia.pk).exists()
    assert response.redirect_chain[-1][0] == mia.get_absolute_url()
    assert "Only the owner can delete a customer." in response.content.decode()


def test_a_field_worker_does_not_see_the_confirmation_page(worker_client):
    mia = CustomerFactory(name="Mia Lane")

    response = worker_client.get(delete_url(mia))

    assert response.status_code == 302
    assert Customer.objects.filter(pk=mia.pk).exists()


def test_the_owner_is_told_what_goes_with_the_customer(owner_client):
    mia = CustomerFactory(name="Mia Lane")
    InteractionFactory.create_batch(3, customer=mia)
    FollowUpFactory.create_batch(2, customer=mia)
    CustomerFactory(referred_by=mia)
    InteractionFactory(customer=CustomerFactory())  # someone else's: not counted

    response = owner_client.get(delete_url(mia))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Delete Mia Lane?" in html
    assert "3 interactions" in html
    assert "2 follow-ups" in html
    assert "1 customer they referred will stay" in html
    assert Customer.objects.filter(pk=mia.pk).exists()


def test_the_summary_uses_the_singular_for_one(owner_client):
    mia = CustomerFactory(name="Mia Lane")
    InteractionFactory(customer=mia)
    FollowUpFactory(customer=mia)

    html = owner_client.get(delete_url(mia)).content.decode()

    assert "1 interaction<" in html and "1 follow-up<" in html


def test_posting_deletes_the_customer_with_their_interactions_and_followups(owner_client):
    mia = CustomerFactory(name="Mia Lane")
    InteractionFactory.create_batch(2, customer=mia)
    FollowUpFactory(customer=mia)
    friend = CustomerFactory(referred_by=mia)
    other = InteractionFactory()

    response = owner_client.post(delete_url(mia), follow=True)

    assert response.redirect_chain[-1][0] == reverse("customers:list")
    assert "Mia Lane was deleted." in response.content.decode()
    assert not Customer.objects.filter(pk=mia.pk).exists()
    assert not Interaction.objects.filter(customer_id=mia.pk).exists()
    assert not FollowUp.objects.filter(customer_id=mia.pk).exists()
    assert Interaction.objects.filter(pk=other.pk).exists()
    friend.refresh_from_db()
    assert friend.referred_by is None
