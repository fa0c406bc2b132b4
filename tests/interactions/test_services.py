import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interactions import services
from interactions.models import FollowUp, Interaction
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
        services.interaction_update(interaction=interaction, attitude=9)

    interaction.refresh_from_db()
    assert interaction.attitude == 3


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


def test_the_database_rejects_a_followup_without_a_due_date(customer, owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(customer=customer, assigned_to=owner, description="Call back", due_date=None)


def test_the_database_rejects_removing_a_followups_due_date(owner):
    followup = FollowUpFactory(assigned_to=owner)

    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=followup.pk).update(due_date=None)


def test_the_database_rejects_a_followup_with_an_empty_description_or_no_attempt(owner):
    followup = FollowUpFactory(assigned_to=owner)

    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=followup.pk).update(description="")
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=followup.pk).update(attempts=0)


# follow-ups


def test_followup_create_refuses_an_empty_description(customer, owner):
    with pytest.raises(ValidationError):
        services.followup_create(customer=customer, description="", due_date=datetime.date(2026, 3, 12),
                                 assigned_to=owner, created_by=owner)

    assert FollowUp.objects.count() == 0


def test_followup_complete_marks_it_done_and_keeps_the_outcome_with_a_timestamp(owner, worker):
    followup = FollowUpFactory(assigned_to=worker)

    with time_machine.travel(NOW, tick=False):
        services.followup_complete(followup=followup, user=owner, outcome="Booked for Friday")

    followup.refresh_from_db()
    assert followup.done_at == NOW
    assert followup.done_by == owner
    assert followup.outcome == "2026-03-10 14:00 — Booked for Friday"


def test_followup_complete_a_second_time_changes_nothing(owner, worker):
    followup = FollowUpFactory(assigned_to=worker)
    with time_machine.travel(NOW, tick=False):
        services.followup_complete(followup=followup, user=worker, outcome="Booked for Friday")

    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        services.followup_complete(followup=followup, user=owner, outcome="Clicked twice")

    followup.refresh_from_db()
    assert followup.done_at == NOW
    assert followup.done_by == worker
    assert followup.outcome == "2026-03-10 14:00 — Booked for Friday"


def test_followup_try_again_reschedules_counts_the_attempt_and_appends_the_note(owner):
    followup = FollowUpFactory(assigned_to=owner, due_date=datetime.date(2026, 3, 10))

    with time_machine.travel(NOW, tick=False):
        services.followup_try_again(followup=followup, due_date=datetime.date(2026, 3, 13), note="Left a message")
        services.followup_try_again(followup=followup, due_date=datetime.date(2026, 3, 16))

    followup.refresh_from_db()
    assert followup.due_date == datetime.date(2026, 3, 16)
    assert followup.attempts == 3
    assert followup.outcome == "2026-03-10 14:00 — Left a message\n2026-03-10 14:00 — Attempt 2: no answer"
    assert followup.done_at is None


def test_followup_try_again_reopens_a_done_followup(owner):
    followup = FollowUpFactory(assigned_to=owner)
    services.followup_complete(followup=followup, user=owner, outcome="Thought it was done")

    services.followup_try_again(followup=followup, due_date=datetime.date(2030, 1, 2), note="Not done after all")

    followup.refresh_from_db()
    assert followup.done_at is None
    assert followup.done_by is None
    assert followup.attempts == 2
    assert "Thought it was done" in followup.outcome
    assert "Not done after all" in followup.outcome


def test_followup_reopen_clears_done_and_keeps_the_outcome(owner):
    followup = FollowUpFactory(assigned_to=owner)
    services.followup_complete(followup=followup, user=owner, outcome="Booked")

    services.followup_reopen(followup=followup)

    followup.refresh_from_db()
    assert followup.done_at is None
    assert followup.done_by is None
    assert "Booked" in followup.outcome
    assert FollowUp.objects.open().filter(pk=followup.pk).exists()


def test_the_outcome_timestamp_is_in_the_active_time_zone(owner):
    followup = FollowUpFactory(assigned_to=owner)

    with time_machine.travel(NOW, tick=False), timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):
        services.followup_complete(followup=followup, user=owner, outcome="Booked")

    followup.refresh_from_db()
    assert followup.outcome == "2026-03-11 03:00 — Booked"


def test_interaction_delete_keeps_its_followups_unlinked(owner):
    interaction = InteractionFactory(user=owner)
    followup = FollowUpFactory(customer=interaction.customer, interaction=interaction, assigned_to=owner)

    services.interaction_delete(interaction=interaction)

    followup.refresh_from_db()
    assert followup.interaction is None
    assert not Interaction.objects.exists()

