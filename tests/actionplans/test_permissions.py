"""The owner manages every plan; a field worker reads plans and checks off only their own steps."""

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan, ActionStep

from .factories import ActionPlanFactory, ActionStepFactory


@pytest.fixture
def plan(owner):
    return ActionPlanFactory(owner=owner, title="Keep the regulars")


@pytest.fixture
def others_step(plan, owner):
    return ActionStepFactory(plan=plan, assignee=owner, what="Owner's call")


@pytest.fixture
def own_step(plan, worker):
    return ActionStepFactory(plan=plan, assignee=worker, what="Worker's visit")


def test_it_requires_login(client, plan):
    response = client.get(reverse("actionplans:detail", args=[plan.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_field_worker_sees_the_plan_list_and_a_plan(worker_client, plan, own_step):
    assert worker_client.get(reverse("actionplans:list")).status_code == 200
    response = worker_client.get(reverse("actionplans:detail", args=[plan.pk]))
    assert response.status_code == 200
    assert "Worker&#x27;s visit" in response.content.decode()


def test_a_field_worker_is_not_offered_management_buttons(worker_client, plan, own_step):
    page = worker_client.get(reverse("actionplans:detail", args=[plan.pk])).content.decode()
    assert reverse("actionplans:edit", args=[plan.pk]) not in page
    assert reverse("actionplans:step_edit", args=[own_step.pk]) not in page
    assert reverse("actionplans:step_create", args=[plan.pk]) not in page


@pytest.mark.parametrize(
    "method, name, arg",
    [
        ("get", "actionplans:create", None),
        ("post", "actionplans:create", None),
        ("get", "actionplans:edit", "plan"),
        ("post", "actionplans:edit", "plan"),
        ("get", "actionplans:delete", "plan"),
        ("post", "actionplans:delete", "plan"),
        ("get", "actionplans:step_create", "plan"),
        ("post", "actionplans:step_create", "plan"),
        ("get", "actionplans:step_edit", "own_step"),
        ("post", "actionplans:step_edit", "own_step"),
        ("post", "actionplans:step_delete", "own_step"),
        ("post", "actionplans:step_move", "own_step"),
        ("get", "actionplans:step_from_text", None),
        ("post", "actionplans:step_from_text", None),
    ],
)
def test_a_field_worker_may_not_manage_plans_or_steps(worker_client, plan, own_step, method, name, arg):
    args = [{"plan": plan, "own_step": own_step}[arg].pk] if arg else []
    data = {"title": "Changed", "what": "Changed", "due_date": "2026-12-01", "direction": "up"} if method == "post" else None
    response = getattr(worker_client, method)(reverse(name, args=args), data)
    assert response.status_code == 403
    assert ActionPlan.objects.get(pk=plan.pk).title == "Keep the regulars"
    assert ActionStep.objects.get(pk=own_step.pk).what == "Worker's visit"


def test_a_field_worker_checks_off_their_own_step(worker_client, worker, own_step):
    response = worker_client.post(reverse("actionplans:step_toggle", args=[own_step.pk]), {"note": "Card left"})
    assert response.status_code == 302
    own_step.refresh_from_db()
    assert own_step.is_done and own_step.done_by == worker and own_step.done_note == "Card left"


def test_a_field_worker_may_not_check_off_someone_elses_step(worker_client, others_step):
    response = worker_client.post(reverse("actionplans:step_toggle", args=[others_step.pk]))
    assert response.status_code == 403
    others_step.refresh_from_db()
    assert not others_step.is_done


def test_a_field_worker_is_offered_check_off_only_on_their_own_step(worker_client, plan, own_step, others_step):
    page = worker_client.get(reverse("actionplans:detail", args=[plan.pk])).content.decode()
    assert reverse("actionplans:step_toggle", args=[own_step.pk]) in page
    assert reverse("actionplans:step_toggle", args=[others_step.pk]) not in page


def test_the_owner_checks_off_anyones_step(owner_client, owner, own_step):
    owner_client.post(reverse("actionplans:step_toggle", args=[own_step.pk]))
    own_step.refresh_from_db()
    assert own_step.done_by == owner


def test_the_owner_deletes_a_plan(owner_client, plan, own_step):
    response = owner_client.post(reverse("actionplans:delete", args=[plan.pk]))
    assert response.status_code == 302
    assert not ActionPlan.objects.filter(pk=plan.pk).exists()


@pytest.mark.parametrize(
    "method, name",
    [
        ("get", "actionplans:detail"),
        ("get", "actionplans:edit"),
        ("post", "actionplans:delete"),
        ("get", "actionplans:step_create"),
        ("get", "actionplans:step_edit"),
        ("post", "actionplans:step_toggle"),
        ("post", "actionplans:step_move"),
    ],
)
def test_an_unknown_plan_or_step_is_not_found(owner_client, method, name):
    assert getattr(owner_client, method)(reverse(name, args=[999999])).status_code == 404


def test_a_field_worker_may_not_manage_even_an_unknown_plan(worker_client):
    assert worker_client.get(reverse("actionplans:edit", args=[999999])).status_code == 403
