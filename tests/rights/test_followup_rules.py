"""Who may do what with a follow-up (followups.rules): anyone covers a colleague's; only its assignee and the
owner change or reassign it; its history names who did each."""

import datetime

import pytest
from django.urls import reverse

from followups import rules
from followups.models import FollowUp
from tests.factories import FollowUpFactory, UserFactory

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)
TODAY = NOW.date()
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def colleague(db):
    return UserFactory(username="cara", first_name="Cara", last_name="Colleague", role="field_worker")


@pytest.fixture
def theirs(colleague):
    """A follow-up of Cara's, which Will (the worker) covers for."""
    return FollowUpFactory(assigned_to=colleague, description="Send the quote", due_date=TODAY)


def latest_history(followup):
    return FollowUp.history.filter(id=followup.pk).order_by("-history_id").first()


def test_a_field_worker_completes_a_colleagues_followup_and_the_history_names_them(worker_client, worker, theirs):
    response = worker_client.post(reverse("followups:done", args=[theirs.pk]), {"outcome": "Sent by post"})

    assert response.status_code == 302
    stored = FollowUp.objects.get(pk=theirs.pk)
    assert stored.done_by == worker
    assert latest_history(theirs).history_user == worker


def test_a_field_worker_calls_once_more_for_a_colleague(worker_client, worker, theirs):
    response = worker_client.post(reverse("followups:try_again", args=[theirs.pk]),
                                  {"due_date": "2026-03-12", "note": "No answer"})

    assert response.status_code == 302
    stored = FollowUp.objects.get(pk=theirs.pk)
    assert (stored.due_date, stored.attempts, stored.assigned_to_id) == (datetime.date(2026, 3, 12), 2, theirs.assigned_to_id)
    assert latest_history(theirs).history_user == worker


def test_a_field_worker_reopens_a_colleagues_followup(worker_client, worker, colleague, theirs):
    FollowUp.objects.filter(pk=theirs.pk).update(done_at=NOW, done_by=colleague)

    response = worker_client.post(reverse("followups:reopen", args=[theirs.pk]))

    assert response.status_code == 302
    assert FollowUp.objects.get(pk=theirs.pk).done_at is None
    assert latest_history(theirs).history_user == worker


def test_a_field_worker_cannot_open_a_colleagues_followup_to_edit(worker_client, theirs):
    assert worker_client.get(reverse("followups:edit", args=[theirs.pk])).status_code == 403


def test_a_field_worker_cannot_reassign_a_colleagues_followup_and_nothing_changes(worker_client, worker, theirs):
    response = worker_client.post(reverse("followups:edit", args=[theirs.pk]), {
        "description": "Mine now", "due_date": "2026-03-20", "assigned_to": worker.pk, "version": "1"})

    assert response.status_code == 403
    stored = FollowUp.objects.get(pk=theirs.pk)
    assert (stored.description, stored.due_date, stored.assigned_to_id, stored.version) == (
        "Send the quote", TODAY, theirs.assigned_to_id, 1)
    assert FollowUp.history.filter(id=theirs.pk).count() == 1  # only its creation


def test_its_assignee_hands_it_on_and_the_history_names_them(client_for, colleague, worker, theirs):
    response = client_for(colleague).post(reverse("followups:edit", args=[theirs.pk]), {
        "description": "Send the quote", "due_date": "2026-03-10", "assigned_to": worker.pk, "version": "1"})

    assert response.status_code == 302
    assert FollowUp.objects.get(pk=theirs.pk).assigned_to == worker
    assert latest_history(theirs).history_user == colleague


def test_the_owner_edits_and_reassigns_anyones_and_the_history_names_her(owner_client, owner, worker, theirs):
    response = owner_client.post(reverse("followups:edit", args=[theirs.pk]), {
        "description": "Send the revised quote", "due_date": "2026-03-11", "assigned_to": worker.pk, "version": "1"})

    assert response.status_code == 302
    stored = FollowUp.objects.get(pk=theirs.pk)
    assert (stored.description, stored.assigned_to) == ("Send the revised quote", worker)
    record, before = FollowUp.history.filter(id=theirs.pk).order_by("-history_id")[:2]
    assert record.history_user == owner
    assert {change.field for change in record.diff_against(before).changes} == {"description", "due_date", "assigned_to"}


@pytest.mark.parametrize(("who", "complete", "edit"), [
    ("owner", True, True),
    ("assignee", True, True),
    ("colleague", True, False),
])
def test_the_rules_in_one_table(owner, worker, colleague, who, complete, edit):
    followup = FollowUpFactory(assigned_to=worker)
    user = {"owner": owner, "assignee": worker, "colleague": colleague}[who]

    assert (rules.can_complete(user, followup), rules.can_edit(user, followup)) == (complete, edit)
