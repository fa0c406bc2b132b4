"""The team page: everyone with their role, address, last sign-in, state and workload."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory, FollowUpFactory, UserFactory

pytestmark = pytest.mark.django_db


def _row(page: str, person) -> str:
    row = page[page.index(f'id="member-{person.pk}"'):]
    return row[: row.index("</li>")]


@pytest.mark.parametrize("size", [1, 6])
def test_the_team_page_runs_the_same_queries_for_any_number_of_people(owner_client, size, django_assert_num_queries):
    for _ in range(size):
        person = UserFactory(role="field_worker")
        FollowUpFactory(assigned_to=person)
        CustomerFactory(assigned_to=person)
    # session, user, owner group (is_owner), people with their counts and role, lockouts
    with django_assert_num_queries(5):
        response = owner_client.get(reverse("team:list"))
    assert response.content.decode().count('id="member-') == size + 1  # and the owner


@pytest.mark.clock(datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC))
def test_each_person_shows_role_email_last_sign_in_state_and_workload(owner_client, owner):
    worker = UserFactory(first_name="Will", last_name="Worker", email="will@example.com", role="field_worker",
                         last_login=timezone.now() - datetime.timedelta(days=1))
    FollowUpFactory.create_batch(2, assigned_to=worker)
    FollowUpFactory(assigned_to=worker, done_at=timezone.now())
    CustomerFactory.create_batch(3, assigned_to=worker)
    UserFactory(first_name="Lea", last_name="Left", is_active=False, role="field_worker")

    page = owner_client.get(reverse("team:list")).content.decode()

    will = _row(page, worker)
    assert "Will Worker" in will
    assert "Field worker" in will
    assert "will@example.com" in will
    assert "Last signed in 1 Mar 2026, 09:30" in will
    assert "2 open follow-ups" in will  # the done one does not count
    assert "3 customers" in will
    assert "Deactivate" in will
    assert "Deactivated" not in will
    owner_row = _row(page, owner)
    assert "Owner" in owner_row
    assert "Deactivate" not in owner_row  # not themselves
    assert "Lea Left" in page and "Reactivate" in page


def test_active_people_come_first(owner_client):
    UserFactory(first_name="Aaron", is_active=False)
    UserFactory(first_name="Zed")

    members = list(owner_client.get(reverse("team:list")).context["members"])

    assert [m.first_name for m in members][-1] == "Aaron"
