"""Two tabs on one plan step; checking it off counts as a save an open edit form notices."""

import datetime

import pytest
from django.urls import reverse

from actionplans.models import ActionStep
from tests.actionplans.factories import ActionPlanFactory, ActionStepFactory
from tests.versions.conftest import text_of, version_in

NOW = datetime.datetime(2026, 11, 20, 9, 45, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def step(owner, worker):
    plan = ActionPlanFactory(owner=owner)
    return ActionStepFactory(plan=plan, what="Bring a plant", assignee=worker, due_date=datetime.date(2026, 11, 25))


def edit_url(step):
    return reverse("actionplans:step_edit", args=[step.pk])


def form(step, **overrides):
    return {"what": step.what, "due_date": step.due_date.isoformat(), "assignee": step.assignee_id, "source": "",
            **overrides}


def test_the_second_tab_is_refused_then_keep_mine_saves_it(owner_client, step):
    first_tab, second_tab = (version_in(owner_client.get(edit_url(step))) for _tab in range(2))
    owner_client.post(edit_url(step), form(step, what="Bring a potted plant", version=first_tab))

    refused = owner_client.post(edit_url(step), form(step, source="Feedback of 3 Nov", version=second_tab))

    assert refused.status_code == 200
    assert "Changed by Olivia Owner at 09:45: Bring a potted plant" in text_of(refused)
    assert ActionStep.objects.get(pk=step.pk).source == ""

    kept = owner_client.post(edit_url(step), form(step, source="Feedback of 3 Nov", version=version_in(refused)))

    assert kept.status_code == 302
    stored = ActionStep.objects.get(pk=step.pk)
    assert (stored.what, stored.source, stored.version) == ("Bring a plant", "Feedback of 3 Nov", 3)


def test_checking_off_bumps_the_version_so_an_open_form_notices(client_for, owner, worker, step):
    owner_client, worker_client = client_for(owner), client_for(worker)
    stale = version_in(owner_client.get(edit_url(step)))

    worker_client.post(reverse("actionplans:step_toggle", args=[step.pk]), {"note": "Done"})
    assert ActionStep.objects.get(pk=step.pk).version == 2
    worker_client.post(reverse("actionplans:step_toggle", args=[step.pk]), {"done": "0"})
    assert ActionStep.objects.get(pk=step.pk).version == 3

    response = owner_client.post(edit_url(step), form(step, what="Bring two plants", version=stale))

    assert response.status_code == 200
    assert "Will Worker saved a change at 09:45 (and 1 other change) after you opened this form." in text_of(response)
    # The form's own field was not changed by them: shown as saved, not as "changed by".
    assert "What: saved Bring a plant — yours Bring two plants" in text_of(response)


def test_an_edit_without_a_version_is_refused_never_a_500(owner_client, step):
    response = owner_client.post(edit_url(step), form(step, what="No version"))

    assert response.status_code == 200
    assert "this form did not say which version it was opened from" in text_of(response)
    assert ActionStep.objects.get(pk=step.pk).what == "Bring a plant"
