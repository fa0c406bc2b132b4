"""The card's History section: who changed a customer, what, and when, newest first."""

import datetime

import pytest
from django.urls import reverse

from customers.models import Customer
from tests.factories import CustomerFactory, UserFactory
from tests.history.pages import card, client_for, form_as_shown, history_html

MOMENT = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)




@pytest.mark.clock(MOMENT)
def test_editing_a_customer_records_who_changed_what(owner_client, owner):
    # Given a customer with a phone number
    customer = CustomerFactory(name="Mia Lane", phone="+12025550101")
    edit = reverse("customers:edit", args=[customer.pk])

    # When the owner changes the phone on the edit page
    response = owner_client.post(edit, form_as_shown(owner_client.get(edit), phone="+12025550199"))

    # Then it is saved and the history holds who did it and what changed
    assert response.status_code == 302
    created, record = Customer.history.filter(id=customer.pk).order_by("history_id")
    assert (record.history_type, record.history_user) == ("~", owner)
    [change] = record.diff_against(created).changes
    assert (change.field, change.old.as_e164, change.new.as_e164) == ("phone", "+12025550101", "+12025550199")


def test_the_card_shows_the_change_as_a_sentence(owner_client, owner):
    # Given the owner changed a customer's phone an hour ago
    customer = CustomerFactory(name="Mia Lane", phone="+12025550101")
    edit = reverse("customers:edit", args=[customer.pk])
    owner_client.post(edit, form_as_shown(owner_client.get(edit), phone="+12025550199"))
    Customer.history.filter(id=customer.pk, history_type="~").update(
        history_date=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2))

    # When a field worker opens the card
    html = history_html(card(client_for(UserFactory(first_name="Fay", last_name="Field", role="field_worker")), customer))

    # Then the change reads as a sentence: who, which field, old and new value, how long ago
    assert "Olivia Owner</span> changed\n      the phone:" in html
    assert "(202) 555-0101</span> → <span class=\"history-new\">(202) 555-0199" in html
    assert "2\xa0hours ago" in html


def test_choices_show_their_labels_and_people_their_names(owner_client, owner):
    # Given a lead looked after by nobody
    customer = CustomerFactory(status=Customer.Status.LEAD, assigned_to=None)
    edit = reverse("customers:edit", args=[customer.pk])

    # When the owner makes them active and looks after them
    owner_client.post(edit, form_as_shown(owner_client.get(edit), status="active", assigned_to=str(owner.pk)))

    # Then the history names the statuses and the person, not their stored values
    html = history_html(card(owner_client, customer))
    assert "changed\n      the customer:" in html
    assert 'status: <span class="history-old">Lead</span> → <span class="history-new">Active</span>' in html
    assert 'looked after by: <span class="history-old">—</span> → <span class="history-new">Olivia Owner</span>' in html


def test_a_save_without_a_change_is_not_listed(owner_client):
    customer = CustomerFactory(name="Mia Lane")
    customer.save()  # a save through some other path that changed nothing

    html = history_html(card(owner_client, customer))

    assert "changed" not in html
    assert html.count("history-item") == 1  # "added the customer"
