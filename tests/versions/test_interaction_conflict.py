"""Two tabs on one interaction: the save from the tab opened first is refused and explained."""

import datetime

import pytest
from django.urls import reverse

from interactions.models import Interaction
from tests.factories import InteractionFactory
from tests.interactions.test_interaction_views import checklist
from tests.versions.conftest import html_of, text_of, version_in

pytestmark = [pytest.mark.django_db, pytest.mark.clock(datetime.datetime(2026, 3, 10, 14, 5, tzinfo=datetime.UTC))]


@pytest.fixture
def interaction(owner):
    return InteractionFactory(user=owner, occurred_at=datetime.datetime(2026, 3, 10, 13, 45, tzinfo=datetime.UTC),
                              asked_for="A quote for trimming the hedge", could_do_better="")


def edit_url(interaction):
    return reverse("interactions:edit", args=[interaction.pk])


def form(**overrides):
    return checklist(followup_description=None, followup_due=None, amount_charged="0", amount_refunded="0",
                     **overrides)


@pytest.fixture
def second_tab_refused(owner_client, interaction):
    first_tab, second_tab = (version_in(owner_client.get(edit_url(interaction))) for _tab in range(2))
    saved = owner_client.post(edit_url(interaction), form(asked_for="A quote for the hedge and the gutters",
                                                          version=first_tab))
    assert saved.status_code == 302
    return owner_client.post(edit_url(interaction), form(we_said_did="Booked for Friday", version=second_tab))


def test_the_second_tab_is_refused_and_nothing_of_it_is_stored(second_tab_refused, interaction):
    assert second_tab_refused.status_code == 200
    stored = Interaction.objects.get(pk=interaction.pk)
    assert stored.asked_for == "A quote for the hedge and the gutters"
    assert stored.we_said_did != "Booked for Friday"
    assert stored.version == 2


def test_the_second_tab_shows_the_first_tabs_change_and_keeps_its_own(second_tab_refused):
    page = text_of(second_tab_refused)

    assert "Not saved yet: Olivia Owner saved a change at 14:05 after you opened this form." in page
    assert "Changed by Olivia Owner at 14:05: A quote for the hedge and the gutters" in page
    assert "Booked for Friday</textarea>" in html_of(second_tab_refused)


def test_keep_mine_from_the_second_tab_saves_it(owner_client, second_tab_refused, interaction):
    response = owner_client.post(edit_url(interaction), form(we_said_did="Booked for Friday",
                                                             version=version_in(second_tab_refused)))

    assert response.status_code == 302
    stored = Interaction.objects.get(pk=interaction.pk)
    assert (stored.we_said_did, stored.asked_for, stored.version) == (
        "Booked for Friday", "A quote for trimming the hedge", 3)


def test_a_conflict_in_the_folded_part_of_the_checklist_unfolds_it(owner_client, interaction):
    stale = version_in(owner_client.get(edit_url(interaction)))
    owner_client.post(edit_url(interaction), form(could_do_better="Ring ahead when we run late", version=stale))

    response = owner_client.post(edit_url(interaction), form(could_do_better="", version=stale))

    assert '<details class="mb-3 checklist-more" open>' in response.content.decode()
    assert "Changed by Olivia Owner at 14:05: Ring ahead when we run late" in text_of(response)


def test_an_edit_without_a_version_is_refused_never_a_500(owner_client, interaction):
    response = owner_client.post(edit_url(interaction), form(we_said_did="No version"))

    assert response.status_code == 200
    assert "this form did not say which version it was opened from" in text_of(response)
    assert Interaction.objects.get(pk=interaction.pk).version == 1
