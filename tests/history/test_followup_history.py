"""A follow-up's changes: completing one shows in the customer's history, and on the card beside it."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from followups.selectors import customer_done_followups, customer_open_followups, with_last_change
from tests.factories import FollowUpFactory
from tests.history.pages import card, client_for, form_as_shown, history_html

MOMENT = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)


def card_history(client, customer) -> str:
    return history_html(card(client, customer))


@pytest.mark.clock(MOMENT)
def test_a_completed_follow_up_shows_in_the_history(owner_client, worker):
    # Given the worker's follow-up, completed by the worker with an outcome
    followup = FollowUpFactory(assigned_to=worker, description="Call back about the quote")
    client_for(worker).post(reverse("followups:done", args=[followup.pk]), {"outcome": "Booked for Thursday."})

    # When the card is opened
    html = card_history(owner_client, followup.customer)

    # Then the history says who completed it, and when
    assert "Will Worker</span> completed\n      the follow-up “Call back about the quote”:" in html
    assert 'done: <span class="history-old">—</span> → <span class="history-new">Tue 10 Mar 2026, 14:00</span>' in html
    assert 'done by: <span class="history-old">—</span> → <span class="history-new">Will Worker</span>' in html
    assert "Booked for Thursday." in html


@pytest.mark.clock(MOMENT)
def test_a_reopened_follow_up_says_so(owner_client, owner, worker):
    followup = FollowUpFactory(assigned_to=worker, done_at=MOMENT, done_by=worker)
    owner_client.post(reverse("followups:reopen", args=[followup.pk]))

    html = card_history(owner_client, followup.customer)

    assert "Olivia Owner</span> reopened\n      the follow-up" in html


@pytest.mark.clock(MOMENT)
def test_each_follow_up_knows_who_last_changed_it_at_a_fixed_cost(django_assert_num_queries, owner, worker):
    # Given two open follow-ups, one of them moved by the owner, and one done by the worker then changed by the owner
    moved = FollowUpFactory(assigned_to=worker)
    customer = moved.customer
    untouched = FollowUpFactory(customer=customer, assigned_to=worker)
    client_for(owner).post(reverse("followups:try_again", args=[moved.pk]), {"due_date": "2026-03-12"})
    done = FollowUpFactory(customer=customer, assigned_to=worker)
    client_for(worker).post(reverse("followups:done", args=[done.pk]), {"outcome": ""})

    # When the card's lists are read with who last changed each
    with django_assert_num_queries(2):  # the follow-ups with their last change; the people who made them
        open_rows = {f.pk: f for f in with_last_change(customer_open_followups(customer_id=customer.pk))}

    # Then each row carries the last change after it was created, or nothing
    assert (open_rows[moved.pk].last_edit_by, open_rows[moved.pk].last_edit_at) == (owner, MOMENT)
    assert (open_rows[untouched.pk].last_edit_by, open_rows[untouched.pk].last_edit_at) == (None, None)
    [done_row] = with_last_change(customer_done_followups(customer_id=customer.pk))
    assert done_row.last_edit_by == worker


@pytest.mark.clock(MOMENT)
def test_the_done_list_names_who_changed_a_follow_up_after_it_was_done(owner, worker):
    # Given a follow-up the worker completed and the owner then changed
    followup = FollowUpFactory(assigned_to=worker, description="Send photos")
    client_for(worker).post(reverse("followups:done", args=[followup.pk]), {"outcome": ""})
    edit, as_owner = reverse("followups:edit", args=[followup.pk]), client_for(owner)
    as_owner.post(edit, form_as_shown(as_owner.get(edit), description="Send photos of the patio"))

    # When the card's done list is drawn
    html = render_to_string("followups/_card_done.html",
                            {"c": {"done_followups": with_last_change(customer_done_followups(customer_id=followup.customer_id))}})

    # Then it names both: who did it, who changed it last
    assert "by Will Worker · last changed by Olivia Owner on" in html


@pytest.mark.clock(MOMENT)
def test_the_done_list_says_nothing_more_when_the_last_change_was_the_completion(worker):
    followup = FollowUpFactory(assigned_to=worker)
    client_for(worker).post(reverse("followups:done", args=[followup.pk]), {"outcome": ""})

    html = render_to_string("followups/_card_done.html",
                            {"c": {"done_followups": with_last_change(customer_done_followups(customer_id=followup.customer_id))}})

    assert "by Will Worker" in html and "last changed" not in html
