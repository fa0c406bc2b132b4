"""“Make this a step”: an improvement from feedback becomes a step in an existing or a new plan."""

import datetime
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan, ActionStep
from tests.factories import CustomerFactory, UserFactory

from .factories import ActionPlanFactory

URL = reverse("actionplans:step_from_text")


def test_the_form_is_prefilled_from_the_link(owner_client):
    ActionPlanFactory(title="Regulars", status="active")
    ActionPlanFactory(title="Old one", status="archived")
    query = urlencode({"text": "Text before arriving", "source": "Feedback from Ann, 20 Nov"})
    response = owner_client.get(f"{URL}?{query}")
    page = response.content.decode()
    assert 'value="Text before arriving"' in page
    assert 'value="Feedback from Ann, 20 Nov"' in page
    assert "Regulars" in page and "Old one" not in page


def test_the_form_names_the_customer_a_new_plan_would_serve(owner_client):
    customer = CustomerFactory(name="Ann Lee")
    page = owner_client.get(f"{URL}?customer={customer.pk}&text=Quieter").content.decode()
    assert f'start a new draft plan for <a href="{customer.get_absolute_url()}">Ann Lee</a>' in page


def test_it_adds_the_step_to_an_existing_plan(owner_client, worker):
    plan = ActionPlanFactory(status="active")
    response = owner_client.post(URL, {"plan": plan.pk, "what": "Text before arriving", "due_date": "2026-12-03",
                                       "assignee": worker.pk, "source": "Feedback from Ann"})
    step = ActionStep.objects.get()
    assert response["Location"] == step.get_absolute_url()
    assert (step.plan, step.what, step.assignee, step.source) == (plan, "Text before arriving", worker,
                                                                   "Feedback from Ann")


def test_it_starts_a_new_draft_plan_for_the_customer(owner_client, owner):
    customer = CustomerFactory(name="Ann Lee")
    owner_client.post(f"{URL}?customer={customer.pk}",
                      {"new_plan_title": "Ann's quiet mornings", "what": "Arrive after nine",
                       "due_date": "2026-12-03", "customer": customer.pk})
    plan = ActionPlan.objects.get()
    assert (plan.title, plan.status, plan.audience_kind, plan.customer, plan.owner) == (
        "Ann's quiet mornings", "draft", "customer", customer, owner)
    assert plan.start_date <= datetime.date(2026, 12, 3) <= plan.end_date
    assert [s.what for s in plan.steps.all()] == ["Arrive after nine"]


def test_it_asks_for_a_plan_or_a_new_title_and_keeps_the_text(owner_client):
    response = owner_client.post(URL, {"what": "Arrive after nine", "due_date": "2026-12-03"})
    assert "new_plan_title" in response.context["form"].errors
    assert 'value="Arrive after nine"' in response.content.decode()
    assert not ActionStep.objects.exists()


@pytest.mark.django_db
def test_a_step_that_cannot_be_saved_leaves_no_new_plan_behind():
    with pytest.raises(ValidationError):
        services.step_create_from_text(user=UserFactory(), new_plan_title="Quiet mornings", what="",
                                       due_date=datetime.date(2026, 12, 3), today=datetime.date(2026, 11, 23))
    assert not ActionPlan.objects.exists()


def test_a_new_plan_runs_long_enough_to_include_a_late_step(owner):
    due = datetime.date(2027, 3, 1)
    step = services.step_create_from_text(user=owner, new_plan_title="Spring", what="Prune the roses", due_date=due,
                                          today=datetime.date(2026, 11, 23))
    assert (step.plan.start_date, step.plan.end_date, step.plan.audience_kind) == (
        datetime.date(2026, 11, 23), due, "all")


def test_the_improvement_button_offers_the_owner_to_make_it_a_plan_step():
    # Registered in core.registries.improvement_actions (ActionplansConfig.ready): shown beside each improvement.
    template = "actionplans/_from_improvement.html"
    item = SimpleNamespace(text="Text me before you come & ring", feedback=SimpleNamespace(
        received_at=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC), customer_id=7))

    for_owner = render_to_string(template, {"item": item, "is_owner": True})
    for_worker = render_to_string(template, {"item": item, "is_owner": False})

    assert f'href="{URL}?text=Text%20me%20before%20you%20come%20%26%20ring' in for_owner
    assert "&amp;source=Improvement%20from%20feedback%20of%2020%20Nov%202026&amp;customer=7" in for_owner
    assert "Make this a plan step" not in for_worker
