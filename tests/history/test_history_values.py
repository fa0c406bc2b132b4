"""core.history: how each kind of value reads, and what each reader is shown."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.history import customer_history, customer_history_sources
from customers.models import Customer
from feedback.selectors import FEEDBACK_HISTORY
from tests.factories import CustomerFactory, InteractionFactory
from tests.feedback.factories import FeedbackFactory

MOMENT = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)


def change_as(instance, user, **fields):
    instance._history_user = user
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()


def latest(customer, user, kind="customer"):
    return next(item for item in customer_history(customer_id=customer.pk, user=user).items if item.kind == kind)


@pytest.mark.clock(MOMENT)
def test_times_read_in_the_readers_zone_and_yes_no_and_amounts_as_people_say_them(owner):
    interaction = InteractionFactory(occurred_at=MOMENT, asked_for_sale=False, amount_charged=Decimal("1200"))
    change_as(interaction, owner, occurred_at=MOMENT + datetime.timedelta(hours=1), asked_for_sale=True,
              amount_charged=Decimal("1250.5"))

    with timezone.override("Europe/Paris"):
        changes = {c.field: (c.old, c.new) for c in latest(interaction.customer, owner, "interaction").changes}

    assert changes["when"] == ("Tue 10 Mar 2026, 15:00", "Tue 10 Mar 2026, 16:00")
    assert changes["did we ask for a sale?"] == ("no", "yes")
    assert changes["amount charged"] == ("1,200.00", "1,250.50")


def test_a_removed_person_is_named_so(owner, worker):
    customer = CustomerFactory(assigned_to=worker)
    change_as(customer, owner, assigned_to=owner)
    worker.delete()

    [change] = latest(customer, owner).changes

    assert (change.field, change.old, change.new) == ("looked after by", "a removed one", "Olivia Owner")


def test_the_reason_of_a_change_is_kept(owner):
    customer = CustomerFactory()
    customer._change_reason = "merged with a duplicate"
    change_as(customer, owner, status=Customer.Status.INACTIVE)

    assert latest(customer, owner).reason == "merged with a duplicate"


@pytest.mark.clock(MOMENT)
def test_feedback_reads_like_the_rest_once_registered(monkeypatch, owner):
    # Given feedback registered as a history source (feedback/apps.py), and feedback whose rating was corrected
    monkeypatch.setattr(customer_history_sources, "_sources", dict(customer_history_sources._sources))
    customer_history_sources.register(FEEDBACK_HISTORY, order=40)
    feedback = FeedbackFactory(rating=3, received_at=datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC))
    change_as(feedback, owner, rating=5)

    # Then it is in the customer's history with the other changes
    item = latest(feedback.customer, owner, "feedback")
    assert (item.user, item.verb, item.label) == (owner, "changed", "the feedback of 3 Mar")
    assert [(c.field, c.old, c.new) for c in item.changes] == [("overall rating", 3, 5)]


def test_the_latest_are_listed_with_the_total(owner):
    customer = CustomerFactory(name="Mia Lane")
    for n in range(12):
        change_as(customer, owner, town=f"Town {n}")

    history = customer_history(customer_id=customer.pk, user=owner, limit=5)

    assert [item.changes[0].new for item in history.items] == [f"Town {n}" for n in (11, 10, 9, 8, 7)]
    assert (history.total, history.more) == (13, 8)
