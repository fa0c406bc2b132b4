"""The admin: the owner's back office, closed to field workers."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, TagFactory

CHANGELISTS = ["admin:customers_customer_changelist", "admin:customers_tag_changelist", "admin:accounts_user_changelist"]


def test_the_owner_reaches_the_admin(owner_client):
    assert owner_client.get(reverse("admin:index")).status_code == 200


def test_a_field_worker_is_sent_to_the_admin_login(worker_client):
    response = worker_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_field_worker_cannot_open_a_customer_changelist(worker_client):
    response = worker_client.get(reverse("admin:customers_customer_changelist"))

    assert response.status_code == 302


def test_a_field_worker_does_not_see_the_admin_link(worker_client):
    assert reverse("admin:index") not in worker_client.get(reverse("customers:list")).content.decode()


def test_the_owner_sees_the_admin_link(owner_client):
    assert reverse("admin:index") in owner_client.get(reverse("customers:list")).content.decode()


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_changelists_render_and_search(owner_client, changelist):
    CustomerFactory(name="Mia Lane", phone="+12025550123", tags=[TagFactory(name="Pool")])

    assert owner_client.get(reverse(changelist)).status_code == 200
    assert owner_client.get(reverse(changelist), {"q": "mia"}).status_code == 200


def test_the_customer_admin_finds_by_phone_digits(owner_client):
    CustomerFactory(name="Mia Lane", phone="+12025550123")
    CustomerFactory(name="Bob Brown", phone="+13125550177")

    html = owner_client.get(reverse("admin:customers_customer_changelist"), {"q": "5550123"}).content.decode()

    assert "Mia Lane" in html and "Bob Brown" not in html


def test_the_customer_admin_filters_by_status_and_tag(owner_client):
    pool = TagFactory(name="Pool")
    CustomerFactory(name="Mia Lane", status="lead", tags=[pool])

    response = owner_client.get(reverse("admin:customers_customer_changelist"), {"status": "lead", "tags__id__exact": pool.pk})

    assert response.status_code == 200 and "Mia Lane" in response.content.decode()


def test_the_customer_change_page_renders(owner_client):
    mia = CustomerFactory(name="Mia Lane", tags=[TagFactory(name="Pool")])

    response = owner_client.get(reverse("admin:customers_customer_change", args=[mia.pk]))

    assert response.status_code == 200


def test_the_user_change_page_shows_the_preferences(owner_client, worker):
    html = owner_client.get(reverse("admin:accounts_user_change", args=[worker.pk])).content.decode()

    assert 'name="time_zone"' in html


def test_the_owner_group_holds_every_model_permission(owner):
    assert not owner.is_superuser
    assert owner.has_perm("customers.delete_customer")
    assert owner.has_perm("interactions.change_interaction")
    assert owner.has_perm("accounts.change_user")


def test_a_field_worker_holds_no_admin_permission(worker):
    assert not worker.has_perm("customers.view_customer")


def test_the_customer_admin_finds_a_number_typed_with_punctuation(owner_client):
    CustomerFactory(name="Mia Lane", phone="+12025550123")
    CustomerFactory(name="Bob Brown", phone="+13125550177")

    html = owner_client.get(reverse("admin:customers_customer_changelist"), {"q": "(202) 555-0123"}).content.decode()

    assert "Mia Lane" in html and "Bob Brown" not in html
