import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from followups.models import FollowUp
from interactions import services
from interactions.models import Interaction
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def customer():
    return CustomerFactory(name="Ada Lovelace")


# interaction_create


def test_interaction_create_stores_the_checklist_without_a_followup(customer, owner):
    interaction = services.interaction_create(
        customer=customer, user=owner, channel="call", direction="inbound", occurred_at=NOW,
        duration_seconds=95, asked_for="A quote for the hedge", attitude=4,
    )

    interaction.refresh_from_db()
    assert interaction.customer == customer
    assert interaction.user == owner
    assert interaction.duration_seconds == 95
    assert interaction.asked_for == "A quote for the hedge"
    assert interaction.attitude == Interaction.Attitude.HAPPY
    assert FollowUp.objects.count() == 0


def test_interaction_create_assigns_the_followup_to_the_logger_by_default(customer, worker):
    interaction = services.interaction_create(
        customer=customer, user=worker, channel="call", occurred_at=NOW,
        followup_description="Send the quote", followup_due=datetime.date(2026, 3, 12),
    )

    followup = FollowUp.objects.get()
    assert followup.description == "Send the quote"
    assert followup.due_date == datetime.date(2026, 3, 12)
    assert followup.assigned_to == worker
    assert followup.created_by == worker
    assert followup.interaction == interaction
    assert followup.customer == customer
    assert followup.attempts == 1
    assert followup.done_at is None


def test_interaction_create_assigns_the_followup_to_the_chosen_user(customer, owner, worker):
    interaction = services.interaction_create(
        customer=customer, user=owner, channel="visit", occurred_at=NOW,
        followup_description="Trim the hedge", followup_due=datetime.date(2026, 3, 12), followup_assignee=worker,
    )

    followup = interaction.followups.get()
    assert followup.assigned_to == worker
    assert followup.created_by == owner


def test_interaction_create_refuses_a_followup_without_a_due_date(customer, owner):
    with pytest.raises(ValidationError) as excinfo:
        services.interaction_create(customer=customer, user=owner, channel="call", followup_description="Send the quote")

    assert "followup_due" in excinfo.value.message_dict
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "fax"),
        ("direction", "sideways"),
        ("attitude", 7),
        ("duration_seconds", -5),
        ("amount_charged", Decimal("-1.00")),
        ("amount_refunded", Decimal("-0.01")),
    ],
)
def test_interaction_create_rejects_bad_values(customer, owner, field, value):
    with pytest.raises(ValidationError) as excinfo:
        services.interaction_create(customer=customer, user=owner, **{field: value})

    assert field in excinfo.value.message_dict
    assert Interaction.objects.count() == 0


def test_interaction_update_rejects_a_bad_value_and_keeps_the_stored_one(owner):
    interaction = InteractionFactory(user=owner, attitude=3)

    with pytest.raises(ValidationError):
        services.interaction_update(interaction=interaction, data={"attitude": 9})

    interaction.refresh_from_db()
    assert interaction.attitude == 3


def test_interaction_update_saves_what_changed_even_when_the_instance_already_holds_it(owner):
    # A ModelForm copies the posted values onto the instance before the view calls the service.
    interaction = InteractionFactory(user=owner, asked_for="Before")
    interaction.asked_for = "After"

    services.interaction_update(interaction=interaction, data={"asked_for": "After"})

    interaction.refresh_from_db()
    assert interaction.asked_for == "After"


def test_interaction_update_refuses_what_an_edit_may_not_change(owner, worker):
    interaction = InteractionFactory(user=owner)

    with pytest.raises(ValueError):
        services.interaction_update(interaction=interaction, data={"user": worker})

    interaction.refresh_from_db()
    assert interaction.user == owner


# The database itself refuses bad rows, whatever code writes them.


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration_seconds", -1),
        ("amount_charged", Decimal("-10.00")),
        ("amount_refunded", Decimal("-10.00")),
        ("attitude", 7),
        ("attitude", 0),
        ("channel", "fax"),
        ("direction", "sideways"),
    ],
)
def test_the_database_rejects_a_bad_interaction_on_create(customer, owner, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.create(customer=customer, user=owner, **{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [("duration_seconds", -60), ("amount_charged", Decimal("-5")), ("attitude", 7), ("channel", "pigeon")],
)
def test_the_database_rejects_a_bad_interaction_on_update(owner, field, value):
    interaction = InteractionFactory(user=owner)

    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.filter(pk=interaction.pk).update(**{field: value})


def test_interaction_delete_keeps_its_followups_unlinked(owner):
    interaction = InteractionFactory(user=owner)
    followup = FollowUpFactory(customer=interaction.customer, interaction=interaction, assigned_to=owner)

    services.interaction_delete(interaction=interaction)

    followup.refresh_from_db()
    assert followup.interaction is None
    assert not Interaction.objects.exists()

