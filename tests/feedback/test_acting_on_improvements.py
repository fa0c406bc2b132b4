"""Feedback only matters if we act on it: an improvement becomes a follow-up in one click."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.registries import improvement_actions
from feedback.models import FeedbackItem
from feedback.selectors import attach_improvement_actions
from followups.models import FollowUp
from followups.services import followup_complete

from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def improvement():
    feedback = FeedbackFactory(likes=["Friendly"], improvements=["Call before you come"])
    return feedback.items.get(kind=FeedbackItem.Kind.IMPROVEMENT)


def _url(item):
    return reverse("feedback:improvement_followup", args=[item.pk])


def test_the_owner_turns_an_improvement_into_a_follow_up_in_one_click(owner_client, owner, improvement):
    response = owner_client.post(_url(improvement))

    followup = FollowUp.objects.get()
    assert followup.customer == improvement.feedback.customer
    assert followup.assigned_to == owner and followup.created_by == owner
    assert followup.description == "Improve: Call before you come"
    assert followup.due_date == timezone.localdate() + datetime.timedelta(days=7)
    improvement.refresh_from_db()
    assert improvement.followup == followup
    assert response["Location"] == improvement.get_absolute_url()


def test_the_owner_goes_back_to_the_page_they_came_from(owner_client, improvement):
    response = owner_client.post(_url(improvement), {"next": "/feedback/?rating=4#improvement-1"})

    assert response["Location"] == "/feedback/?rating=4#improvement-1"


def test_it_never_redirects_to_another_site(owner_client, improvement):
    response = owner_client.post(_url(improvement), {"next": "https://evil.example.com/"})

    assert response["Location"] == improvement.get_absolute_url()


def test_a_second_click_keeps_the_first_follow_up(owner_client, improvement):
    owner_client.post(_url(improvement))

    owner_client.post(_url(improvement))

    assert FollowUp.objects.count() == 1


def test_a_field_worker_cannot_do_it(worker_client, improvement):
    response = worker_client.post(_url(improvement))

    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_a_like_cannot_become_a_follow_up(owner_client, improvement):
    like = improvement.feedback.items.get(kind=FeedbackItem.Kind.LIKE)

    response = owner_client.post(_url(like))

    assert response.status_code == 404


def test_the_feedback_shows_what_was_done_about_each_improvement(owner_client, owner, improvement):
    customer = improvement.feedback.customer
    card = owner_client.get(customer.get_absolute_url()).content.decode()
    assert "Make a follow-up" in card

    owner_client.post(_url(improvement))
    card = owner_client.get(customer.get_absolute_url()).content.decode()
    listing = owner_client.get(reverse("feedback:list")).content.decode()
    assert "Follow-up due" in card and "Follow-up due" in listing
    assert "Make a follow-up" not in card

    improvement.refresh_from_db()
    followup_complete(followup=improvement.followup, user=owner)
    card = owner_client.get(customer.get_absolute_url()).content.decode()
    assert f"Done {timezone.localdate():%-d %b}" in card


def test_a_field_worker_sees_what_was_done_but_no_button(worker_client, owner, improvement):
    page = worker_client.get(improvement.feedback.customer.get_absolute_url()).content.decode()

    assert "Make a follow-up" not in page
    assert "Nothing done yet" in page


def test_another_app_can_add_its_own_button_to_each_improvement(improvement, owner):
    prepared = []

    def prepare(*, items, user):
        prepared.append([item.pk for item in items])
        return {item.pk: f"data for {item.pk}" for item in items}

    with improvement_actions.isolated():  # whatever other apps registered is set aside for this test
        improvement_actions.register("feedback/_card_section.html", prepare)
        improvement_actions.register("feedback/_card_section.html", prepare)  # a second ready() replaces it
        feedback = [FeedbackFactory(improvements=["a", "b"]), improvement.feedback]
        attach_improvement_actions(feedback, user=owner)

    assert len(prepared) == 1  # once per page, whatever the number of improvements, and once per key
    assert len(prepared[0]) == 3
    item = feedback[1].improvements[0]
    assert item.extra_actions == [{"template": "feedback/_card_section.html", "data": f"data for {item.pk}"}]


def test_an_unknown_improvement_is_not_found(owner_client, improvement):
    response = owner_client.post(reverse("feedback:improvement_followup", args=[improvement.pk + 1000]))

    assert response.status_code == 404


def test_a_field_worker_is_refused_before_anything_is_looked_up(worker_client, improvement):
    response = worker_client.post(reverse("feedback:improvement_followup", args=[improvement.pk + 1000]))

    assert response.status_code == 403


def test_the_follow_up_and_its_link_are_made_together_or_not_at_all(owner, improvement, monkeypatch):
    from feedback import services

    def broken_update(**kwargs):
        raise RuntimeError("the link could not be saved")

    monkeypatch.setattr(services, "model_update", broken_update)
    with pytest.raises(RuntimeError):
        services.improvement_followup_create(item=improvement, user=owner)

    assert not FollowUp.objects.exists()
    improvement.refresh_from_db()
    assert improvement.followup is None
