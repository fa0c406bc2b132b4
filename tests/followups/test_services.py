"""Writes for follow-ups: create, complete, once more, reopen; the database refuses bad rows."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from followups import services
from followups.models import FollowUp
from tests.factories import CustomerFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def customer():
    return CustomerFactory(name="Ada Lovelace")


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




def test_followup_update_saves_what_changed_even_when_the_instance_already_holds_it(owner, worker):
    # A ModelForm copies the posted values onto the instance before the view calls the service.
    followup = FollowUpFactory(assigned_to=owner, description="Send the quote")
    followup.description = "Send the revised quote"
    followup.assigned_to = worker

    services.followup_update(followup=followup, data={"description": "Send the revised quote", "assigned_to": worker})

    followup.refresh_from_db()
    assert followup.description == "Send the revised quote"
    assert followup.assigned_to == worker


def test_followup_update_refuses_what_an_edit_may_not_change(owner):
    followup = FollowUpFactory(assigned_to=owner)

    with pytest.raises(ValueError):
        services.followup_update(followup=followup, data={"done_at": NOW})

    followup.refresh_from_db()
    assert followup.done_at is None
