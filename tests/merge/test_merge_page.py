"""The merge page: both customers side by side, what moves, and the merge itself."""

import pytest
from django.urls import reverse

from customers.models import Customer
from interactions.models import Interaction


def merge_url(keep, other):
    return reverse("merge:merge", args=[keep.pk, other.pk])


def test_it_shows_what_will_move_and_what_will_be_filled(owner_client, world):
    response = owner_client.get(merge_url(world["kept"], world["duplicate"]))

    page = response.content.decode()
    assert response.status_code == 200
    for line in ("2 interactions", "2 feedback requests", "1 customer they referred", "Tags: pool",
                 "Email: mia@example.com", "Postcode: LS1 4AB"):
        assert line in page
    assert "A tidy garden" not in page.split('id="merge-filled"')[1]  # "what they want" is kept, not filled
    assert merge_url(world["duplicate"], world["kept"]) in page  # keep the other one instead


def test_merging_sends_the_owner_to_the_kept_card(owner_client, world):
    kept, duplicate = world["kept"], world["duplicate"]

    response = owner_client.post(merge_url(kept, duplicate), follow=True)

    assert response.redirect_chain[-1][0] == kept.get_absolute_url()
    assert "Mia Lane was merged into Mia" in response.content.decode()
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    assert Interaction.objects.filter(customer=kept).count() == 3


def test_a_customer_is_not_merged_with_themselves(owner_client, world):
    kept = world["kept"]

    response = owner_client.post(merge_url(kept, kept), follow=True)

    assert "cannot be merged with themselves" in response.content.decode()
    assert Customer.objects.filter(pk=kept.pk).exists()
    assert Interaction.objects.filter(customer=kept).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_field_worker_may_not_merge(worker_client, world, method):
    response = getattr(worker_client, method)(merge_url(world["kept"], world["duplicate"]))

    assert response.status_code == 403
    assert Customer.objects.filter(pk=world["duplicate"].pk).exists()


def test_a_missing_customer_is_not_found(owner_client, world):
    response = owner_client.get(reverse("merge:merge", args=[world["kept"].pk, 999_999]))

    assert response.status_code == 404
