"""Two people on one follow-up; the quick actions count as saves that an open edit form notices."""

import datetime

import pytest
from django.urls import reverse

from followups import services
from followups.models import FollowUp
from tests.factories import FollowUpFactory
from tests.versions.conftest import text_of, version_in

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)
TODAY = NOW.date()
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def followup(worker):
    return FollowUpFactory(assigned_to=worker, description="Send the quote", due_date=TODAY)


def edit_url(followup):
    return reverse("followups:edit", args=[followup.pk])


def form(followup, **overrides):
    return {"description": followup.description, "due_date": followup.due_date.isoformat(),
            "assigned_to": followup.assigned_to_id, **overrides}


def test_a_stale_edit_is_refused_showing_the_owners_change(client_for, worker, owner, followup):
    worker_client, owner_client = client_for(worker), client_for(owner)
    stale = version_in(worker_client.get(edit_url(followup)))
    owner_client.post(edit_url(followup), form(followup, description="Send the revised quote",
                                               version=version_in(owner_client.get(edit_url(followup)))))

    response = worker_client.post(edit_url(followup), form(followup, due_date="2026-03-13", version=stale))

    assert response.status_code == 200
    page = text_of(response)
    assert "Changed by Olivia Owner at 09:30: Send the revised quote" in page
    assert 'value="2026-03-13"' in response.content.decode()  # what the worker typed is still there
    stored = FollowUp.objects.get(pk=followup.pk)
    assert (stored.description, stored.due_date, stored.version) == ("Send the revised quote", TODAY, 2)

    kept = worker_client.post(edit_url(followup), form(followup, due_date="2026-03-13", version=version_in(response)))

    assert kept.status_code == 302
    stored.refresh_from_db()
    assert (stored.description, stored.due_date, stored.version) == ("Send the quote", datetime.date(2026, 3, 13), 3)


def test_once_more_by_a_colleague_is_noticed_by_an_open_edit_form(client_for, worker, owner, followup):
    worker_client, owner_client = client_for(worker), client_for(owner)
    stale = version_in(worker_client.get(edit_url(followup)))
    owner_client.post(reverse("followups:try_again", args=[followup.pk]), {"due_date": "2026-03-12", "note": ""})

    response = worker_client.post(edit_url(followup), form(followup, description="Send the quote by post",
                                                           version=stale))

    assert response.status_code == 200
    assert "Changed by Olivia Owner at 09:30: Thu 12 Mar 2026" in text_of(response)
    assert FollowUp.objects.get(pk=followup.pk).description == "Send the quote"


@pytest.mark.parametrize("action", ["complete", "try_again", "reopen"])
def test_each_quick_action_bumps_the_version(followup, worker, action):
    if action == "reopen":
        followup = services.followup_complete(followup=followup, user=worker)
    before = FollowUp.objects.get(pk=followup.pk).version

    if action == "complete":
        services.followup_complete(followup=followup, user=worker)
    elif action == "try_again":
        services.followup_try_again(followup=followup, due_date=TODAY + datetime.timedelta(days=2))
    else:
        services.followup_reopen(followup=followup)

    assert FollowUp.objects.get(pk=followup.pk).version == before + 1


def test_a_quick_action_done_twice_counts_once(followup, worker):
    services.followup_complete(followup=followup, user=worker)
    services.followup_complete(followup=followup, user=worker)
    services.followup_reopen(followup=followup)
    services.followup_reopen(followup=followup)

    assert FollowUp.objects.get(pk=followup.pk).version == 3


def test_an_edit_without_a_version_is_refused_never_a_500(worker_client, followup):
    response = worker_client.post(edit_url(followup), form(followup, description="Garbled", version="x" * 5000))

    assert response.status_code == 200
    assert "this form did not say which version it was opened from" in text_of(response)
    assert FollowUp.objects.get(pk=followup.pk).description == "Send the quote"


def test_saving_an_edit_runs_no_query_more_than_before(worker_client, followup, django_assert_num_queries):
    # 1-2. session, user  3. the follow-up with its customer (followups.rules: the assignee may, no query more)
    # 4. the assignee choice (validation)  5. it is an active user (the model's choices)
    # 6-8. the form's model validation: a check constraint in a savepoint
    # 9. savepoint (followup_update)  10. the follow-up, locked: its version compared with the form's, no query more
    # 11-13. full_clean: customer, created_by and assigned_to exist  14-19. two check constraints in savepoints
    # 20. the update (version bumped in it)  21. the history record  22. release savepoint
    with django_assert_num_queries(22):
        response = worker_client.post(edit_url(followup), form(followup, description="Send the quote today",
                                                               version="1"))

    assert response.status_code == 302
