import datetime

import pytest
import time_machine
from django.urls import reverse

from followups.models import FollowUp
from tests.factories import CustomerFactory, FollowUpFactory

NOW = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def customer():
    return CustomerFactory(name="Ada Lovelace")


@pytest.fixture
def followup(customer, worker):
    return FollowUpFactory(customer=customer, assigned_to=worker, due_date=TODAY, description="Send the quote")


# Create and edit


def test_a_new_followup_is_mine_and_due_tomorrow_by_default(worker_client, worker, customer):
    with time_machine.travel(NOW, tick=False):
        response = worker_client.get(reverse("followups:create", args=[customer.pk]))

    form = response.context["form"]
    assert form["assigned_to"].value() == worker.pk
    assert form["due_date"].value() == datetime.date(2026, 3, 11)


def test_a_followup_is_created_on_its_own_from_the_card(worker_client, worker, owner, customer):
    response = worker_client.post(
        reverse("followups:create", args=[customer.pk]),
        {"description": "Drop off the leaflet", "due_date": "2026-03-20", "assigned_to": owner.pk},
    )

    assert response.status_code == 302
    assert response.url == customer.get_absolute_url()
    followup = FollowUp.objects.get()
    assert followup.customer == customer
    assert followup.description == "Drop off the leaflet"
    assert followup.due_date == datetime.date(2026, 3, 20)
    assert followup.assigned_to == owner
    assert followup.created_by == worker
    assert followup.interaction is None


def test_a_followup_without_a_date_is_refused_beside_the_field_keeping_the_text(worker_client, worker, customer):
    response = worker_client.post(
        reverse("followups:create", args=[customer.pk]),
        {"description": "Drop off the leaflet", "due_date": "", "assigned_to": worker.pk},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["due_date"]
    html = response.content.decode()
    assert 'value="Drop off the leaflet"' in html
    assert 'id="id_due_date_error"' in html
    assert FollowUp.objects.count() == 0


def test_a_followup_is_edited(worker_client, owner, followup):
    response = worker_client.post(
        reverse("followups:edit", args=[followup.pk]),
        {"description": "Send the revised quote", "due_date": "2026-03-14", "assigned_to": owner.pk,
         "version": followup.version},
    )

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.description == "Send the revised quote"
    assert followup.due_date == datetime.date(2026, 3, 14)
    assert followup.assigned_to == owner


def test_a_missing_followup_is_a_404(worker_client):
    assert worker_client.get(reverse("followups:edit", args=[999999])).status_code == 404


# Done


def test_done_asks_for_the_outcome_then_stores_it(worker_client, worker, followup):
    url = reverse("followups:done", args=[followup.pk])

    page = worker_client.get(url)
    with time_machine.travel(NOW, tick=False):
        response = worker_client.post(url, {"outcome": "Booked for Friday"})

    assert "Send the quote" in page.content.decode()
    assert response.status_code == 302
    assert response.url == followup.customer.get_absolute_url()
    followup.refresh_from_db()
    assert followup.done_at == NOW
    assert followup.done_by == worker
    assert followup.outcome == "2026-03-10 14:00 — Booked for Friday"


def test_done_from_today_goes_back_to_today(worker_client, followup):
    response = worker_client.post(reverse("followups:done", args=[followup.pk]) + "?next=/",
                                  {"outcome": "", "next": "/"})

    assert response.url == "/"
    followup.refresh_from_db()
    assert followup.done_at is not None


def test_the_done_page_carries_next_into_its_form(worker_client, followup):
    page = worker_client.get(reverse("followups:done", args=[followup.pk]) + "?next=/%3Fx%3D1")

    assert '<input type="hidden" name="next" value="/?x=1">' in page.content.decode()


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"])
def test_an_outside_next_address_is_ignored(worker_client, followup, target):
    response = worker_client.post(reverse("followups:done", args=[followup.pk]),
                                  {"outcome": "", "next": target})

    assert response.status_code == 302
    assert response.url == followup.customer.get_absolute_url()


def test_done_twice_keeps_the_first_outcome(worker_client, followup):
    url = reverse("followups:done", args=[followup.pk])

    worker_client.post(url, {"outcome": "First"})
    worker_client.post(url, {"outcome": "Second"})

    followup.refresh_from_db()
    assert followup.outcome.endswith("First")
    assert "Second" not in followup.outcome


def test_a_done_followup_leaves_the_open_list_and_shows_as_done_on_the_card(worker_client, followup):
    worker_client.post(reverse("followups:done", args=[followup.pk]), {"outcome": "Booked"})

    card = worker_client.get(followup.customer.get_absolute_url())

    [open_followups] = [s["context"]["open_followups"] for s in card.context["sections"] if "open_followups" in s["context"]]
    assert list(open_followups) == []
    assert "<s>Send the quote</s>" in card.content.decode()


# Once more


def test_once_more_reschedules_and_counts_the_attempt(worker_client, followup):
    with time_machine.travel(NOW, tick=False):
        response = worker_client.post(reverse("followups:try_again", args=[followup.pk]),
                                      {"due_date": "2026-03-12", "note": "No answer, left a message"})

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.due_date == datetime.date(2026, 3, 12)
    assert followup.attempts == 2
    assert followup.outcome == "2026-03-10 14:00 — No answer, left a message"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Once more on Thu 12 Mar (attempt 2)."]


def test_once_more_offers_a_date_two_days_ahead(worker_client, followup):
    with time_machine.travel(NOW, tick=False):
        page = worker_client.get(reverse("followups:try_again", args=[followup.pk]))

    assert page.context["form"]["due_date"].value() == datetime.date(2026, 3, 12)


def test_once_more_with_a_past_date_is_refused_with_a_message(worker_client, followup):
    with time_machine.travel(NOW, tick=False):
        response = worker_client.post(reverse("followups:try_again", args=[followup.pk]),
                                      {"due_date": "2026-03-09", "note": "Busy"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"due_date": ["Pick today or a later day."]}
    assert 'value="Busy"' in response.content.decode()
    followup.refresh_from_db()
    assert followup.attempts == 1
    assert followup.due_date == TODAY


def test_once_more_judges_the_past_in_the_users_time_zone(client, customer):
    # At 11:30 UTC on 10 March it is already 11 March in Auckland: 10 March is the past there.
    from tests.factories import UserFactory

    user = UserFactory(username="aroha", time_zone="Pacific/Auckland")
    followup = FollowUpFactory(customer=customer, assigned_to=user, due_date=TODAY)
    client.force_login(user)

    with time_machine.travel(datetime.datetime(2026, 3, 10, 11, 30, tzinfo=datetime.UTC), tick=False):
        refused = client.post(reverse("followups:try_again", args=[followup.pk]), {"due_date": "2026-03-10"})
        accepted = client.post(reverse("followups:try_again", args=[followup.pk]), {"due_date": "2026-03-11"})

    assert refused.status_code == 200
    assert accepted.status_code == 302
    followup.refresh_from_db()
    assert followup.due_date == datetime.date(2026, 3, 11)


def test_once_more_follows_next(worker_client, followup):
    response = worker_client.post(reverse("followups:try_again", args=[followup.pk]),
                                  {"due_date": "2099-01-01", "next": "/"})

    assert response.url == "/"


def test_once_more_ignores_an_outside_next(worker_client, followup):
    response = worker_client.post(reverse("followups:try_again", args=[followup.pk]),
                                  {"due_date": "2099-01-01", "next": "https://evil.example.com/"})

    assert response.url == followup.customer.get_absolute_url()


# Reopen


def test_reopen_puts_a_done_followup_back_in_the_open_list(worker_client, worker, followup):
    worker_client.post(reverse("followups:done", args=[followup.pk]), {"outcome": "Booked"})

    response = worker_client.post(reverse("followups:reopen", args=[followup.pk]))

    assert response.status_code == 302
    assert response.url == followup.customer.get_absolute_url()
    followup.refresh_from_db()
    assert followup.done_at is None
    assert "Booked" in followup.outcome


def test_reopen_only_answers_a_post(worker_client, followup):
    followup.done_at = NOW
    followup.save()

    response = worker_client.get(reverse("followups:reopen", args=[followup.pk]))

    assert response.status_code == 405
    followup.refresh_from_db()
    assert followup.done_at == NOW


def test_reopen_from_a_page_goes_back_to_it(worker_client, followup):
    followup.done_at = NOW
    followup.save()

    response = worker_client.post(reverse("followups:reopen", args=[followup.pk]), {"next": "/"})

    assert response.url == "/"


def test_the_followup_form_offers_one_tap_dates(worker_client, customer):
    html = worker_client.get(reverse("followups:create", args=[customer.pk])).content.decode()

    assert 'data-quick-date="1" data-quick-date-for="id_due_date"' in html
    assert "followups/quick_dates.js" in html
    form = html[html.index('<form method="post" novalidate>'):]
    assert form[:form.index("</form>")].count('name="csrfmiddlewaretoken"') == 1
