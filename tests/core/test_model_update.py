"""core.services.model_update: the one way a service changes a few fields of a row."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.services import model_update
from followups.models import FollowUp
from tests.factories import FollowUpFactory, UserFactory

CREATED = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
EDITED = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)
FIELDS = ["description", "due_date", "assigned_to"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup():
    with time_machine.travel(CREATED, tick=False):
        return FollowUpFactory(description="Send the quote", due_date=datetime.date(2026, 3, 12))


def stored(followup) -> FollowUp:
    return FollowUp.objects.get(pk=followup.pk)


def test_it_saves_the_changed_fields_only(followup):
    # Given: someone else moved the date since we read the row
    FollowUp.objects.filter(pk=followup.pk).update(due_date=datetime.date(2026, 3, 20))

    # When: we change the description, passing the date we read
    _, changed = model_update(instance=followup, fields=FIELDS,
                              data={"description": "Send the revised quote", "due_date": followup.due_date})

    # Then: their date stands, our description is stored
    assert changed is True
    row = stored(followup)
    assert row.description == "Send the revised quote"
    assert row.due_date == datetime.date(2026, 3, 20)


def test_it_bumps_updated_at(followup):
    with time_machine.travel(EDITED, tick=False):
        model_update(instance=followup, fields=FIELDS, data={"description": "Send the revised quote"})

    assert stored(followup).updated_at == EDITED


def test_a_field_not_allowed_is_a_programming_error_and_stores_nothing(followup):
    with pytest.raises(ValueError, match="outcome"):
        model_update(instance=followup, fields=FIELDS, data={"description": "Changed", "outcome": "Done"})

    row = stored(followup)
    assert (row.description, row.outcome) == ("Send the quote", "")


def test_a_bad_value_is_refused_by_full_clean_and_nothing_is_stored(followup):
    with pytest.raises(ValidationError) as excinfo:
        model_update(instance=followup, fields=FIELDS, data={"description": "", "due_date": datetime.date(2026, 4, 1)})

    assert "description" in excinfo.value.message_dict
    row = stored(followup)
    assert (row.description, row.due_date) == ("Send the quote", datetime.date(2026, 3, 12))


@pytest.mark.parametrize("given_as", ["instance", "id"])
def test_a_foreign_key_is_given_as_an_instance_or_an_id(followup, given_as):
    someone = UserFactory(username="someone")

    _, changed = model_update(instance=followup, fields=FIELDS,
                              data={"assigned_to": someone if given_as == "instance" else someone.pk})

    assert changed is True
    assert followup.assigned_to == someone
    assert stored(followup).assigned_to_id == someone.pk


@pytest.mark.parametrize("given_as", ["instance", "id"])
def test_the_same_foreign_key_is_no_change_and_reads_nothing(followup, given_as, django_assert_num_queries):
    same = FollowUp.objects.get(pk=followup.pk)  # the assignee not loaded: comparing must not load it

    with django_assert_num_queries(0):
        _, changed = model_update(instance=same, fields=FIELDS,
                                  data={"assigned_to": followup.assigned_to if given_as == "instance"
                                        else followup.assigned_to_id})

    assert changed is False


def test_nothing_changed_runs_no_update(followup):
    with CaptureQueriesContext(connection) as queries:
        instance, changed = model_update(instance=followup, fields=FIELDS,
                                         data={"description": "Send the quote", "due_date": datetime.date(2026, 3, 12)})

    assert changed is False
    assert instance is followup
    assert queries.captured_queries == []
    assert stored(followup).updated_at == CREATED
