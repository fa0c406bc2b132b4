import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionPlan, ActionStep
from tests.factories import CustomerFactory, TagFactory

from .factories import ActionPlanFactory, ActionStepFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def _plans_with_steps(owner, worker, n):
    for i in range(n):
        plan = ActionPlanFactory(owner=owner, audience_kind="tag", tag=TagFactory(name=f"t{i}"),
                                 status=["active", "draft", "done", "archived"][i % 4])
        ActionStepFactory(plan=plan, assignee=worker)
        ActionStepFactory(plan=plan, assignee=owner, due_date=timezone.localdate() - datetime.timedelta(days=2))
        ActionStepFactory(plan=plan, assignee=None, is_creative=True, done_at=timezone.now())
    return plan


@pytest.mark.parametrize("size", [1, 8])
def test_the_plan_list_runs_the_same_queries_for_any_number_of_plans(owner_client, owner, worker, size,
                                                                     django_assert_num_queries):
    _plans_with_steps(owner, worker, size)
    # session, user, owner group (is_owner), plans with owner/customer/tag and step counts
    with django_assert_num_queries(4):
        response = owner_client.get(reverse("actionplans:list"))
    assert response.content.decode().count("<progress") == size


def test_the_plan_list_filters_by_status_and_ignores_an_unknown_one(owner_client):
    ActionPlanFactory(title="Running", status="active")
    ActionPlanFactory(title="Sketch", status="draft")

    drafts = owner_client.get(reverse("actionplans:list"), {"status": "draft"})
    unknown = owner_client.get(reverse("actionplans:list"), {"status": "paused"})

    assert [p.title for p in drafts.context["plans"]] == ["Sketch"]
    assert drafts.context["status"] == "draft"
    assert [p.title for p in unknown.context["plans"]] == ["Running", "Sketch"]
    assert unknown.context["status"] == ""


def test_the_plan_list_shows_progress_and_overdue(owner_client, owner, worker):
    plan = ActionPlanFactory(title="Regulars")
    ActionStepFactory(plan=plan, done_at=timezone.now())
    ActionStepFactory(plan=plan, due_date=timezone.localdate() - datetime.timedelta(days=1))
    page = owner_client.get(reverse("actionplans:list")).content.decode()
    assert 'value="1" max="2"' in page
    assert "1 of 2 steps done (50%)" in page
    assert "1 overdue" in page


@pytest.mark.parametrize("steps", [1, 10])
def test_the_plan_page_runs_the_same_queries_for_any_number_of_steps(owner_client, owner, worker, steps,
                                                                     django_assert_num_queries):
    plan = ActionPlanFactory(owner=owner, audience_kind="customer", customer=CustomerFactory())
    for n in range(steps):
        step = ActionStepFactory(plan=plan, assignee=worker if n % 2 else owner)
        owner_client.post(reverse("actionplans:step_toggle", args=[step.pk]))
        step.refresh_from_db()  # checked off: one version more
        owner_client.post(reverse("actionplans:step_edit", args=[step.pk]),
                          {"what": f"Edited {n}", "due_date": "2026-12-01", "assignee": worker.pk,
                           "version": step.version})
    # session, user, owner group, plan with progress, steps with assignee/done_by, plan history, step history,
    # all users (history names), customers named in the history, assignee choices of the add-step form
    with django_assert_num_queries(10):
        response = owner_client.get(reverse("actionplans:detail", args=[plan.pk]))
    assert response.content.decode().count('class="list-group-item step') == steps


def test_a_plan_without_a_creative_step_gently_asks_for_one(owner_client):
    plan = ActionPlanFactory()
    ActionStepFactory(plan=plan, is_creative=False)
    assert "No creative service action yet" in owner_client.get(plan.get_absolute_url()).content.decode()
    ActionStepFactory(plan=plan, is_creative=True)
    assert "No creative service action yet" not in owner_client.get(plan.get_absolute_url()).content.decode()


def test_checking_off_with_htmx_answers_with_the_row_and_progress_only(owner_client, owner):
    plan = ActionPlanFactory()
    step = ActionStepFactory(plan=plan, what="Plant a thank-you rose")
    ActionStepFactory(plan=plan)

    response = owner_client.post(reverse("actionplans:step_toggle", args=[step.pk]), {"note": "Loved it"}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'id="step-{step.pk}"' in body
    assert f'id="plan-progress-{plan.pk}" hx-swap-oob="true"' in body
    assert "1 of 2 steps done" in body
    assert "Loved it" in body
    history = body[body.index('id="plan-history" hx-swap-oob="true"'):]
    assert "changed the step “Plant a thank-you rose”" in history
    step.refresh_from_db()
    assert step.done_at is not None and step.done_by == owner


def test_reopening_with_htmx_marks_the_step_open_again(owner_client):
    step = ActionStepFactory()
    owner_client.post(reverse("actionplans:step_toggle", args=[step.pk]), **HTMX)
    response = owner_client.post(reverse("actionplans:step_toggle", args=[step.pk]), {"done": "0"}, **HTMX)
    assert "Check off" in response.content.decode()
    step.refresh_from_db()
    assert step.done_at is None and step.done_by is None


def test_moving_a_step_with_htmx_answers_with_the_reordered_list(owner_client):
    plan = ActionPlanFactory()
    first = ActionStepFactory(plan=plan, what="First", position=1)
    second = ActionStepFactory(plan=plan, what="Second", position=2)
    response = owner_client.post(reverse("actionplans:step_move", args=[second.pk]), {"direction": "up"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert body.index("Second") < body.index("First")
    assert "(moved up)" in body[body.index('id="plan-history" hx-swap-oob="true"'):]
    assert list(plan.steps.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_creating_a_plan_keeps_what_was_typed_and_puts_the_date_error_beside_the_end(owner_client, owner):
    data = {"title": "Spring regulars", "audience_kind": "all", "purpose": "Remembered for care",
            "owner": owner.pk, "start_date": "2026-12-10", "end_date": "2026-12-01", "status": "active"}
    response = owner_client.post(reverse("actionplans:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["The end cannot be before the start."]
    page = response.content.decode()
    assert 'value="Spring regulars"' in page and "Remembered for care" in page
    assert not ActionPlan.objects.exists()


def test_creating_a_plan_for_a_tag_saves_it_and_opens_it(owner_client, owner):
    tag = TagFactory(name="weekly")
    data = {"title": "Weekly regulars", "audience_kind": "tag", "tag": tag.pk, "owner": owner.pk,
            "start_date": "2026-12-01", "end_date": "2026-12-31", "status": "active"}
    response = owner_client.post(reverse("actionplans:create"), data)
    plan = ActionPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.tag, plan.customer, plan.owner) == (tag, None, owner)


def test_a_one_customer_plan_without_a_customer_is_an_error_beside_the_customer(owner_client, owner):
    data = {"title": "Win back", "audience_kind": "customer", "owner": owner.pk,
            "start_date": "2026-12-01", "end_date": "2026-12-31", "status": "draft"}
    response = owner_client.post(reverse("actionplans:create"), data)
    assert "customer" in response.context["form"].errors


@pytest.mark.clock(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
def test_a_step_due_outside_the_plan_is_saved_with_a_warning(owner_client, owner):
    plan = ActionPlanFactory(start_date=datetime.date(2026, 11, 1), end_date=datetime.date(2026, 11, 30))
    response = owner_client.post(reverse("actionplans:step_create", args=[plan.pk]),
                                 {"what": "January check-in", "due_date": "2027-01-05", "assignee": owner.pk},
                                 follow=True)
    page = response.content.decode()
    assert ActionStep.objects.filter(plan=plan, what="January check-in").exists()
    assert "outside the plan&#x27;s dates" in page


def test_a_step_without_what_is_not_saved_and_keeps_the_date(owner_client):
    plan = ActionPlanFactory()
    response = owner_client.post(reverse("actionplans:step_create", args=[plan.pk]),
                                 {"what": "", "due_date": "2026-12-02"})
    assert "what" in response.context["form"].errors
    assert 'value="2026-12-02"' in response.content.decode()
    assert not plan.steps.exists()


@pytest.mark.parametrize("steps", [1, 10])
def test_checking_off_runs_the_same_queries_for_any_number_of_steps(owner_client, worker, steps,
                                                                    django_assert_num_queries):
    plan = ActionPlanFactory()
    step = ActionStepFactory(plan=plan, assignee=worker)
    for _ in range(steps - 1):
        owner_client.post(reverse("actionplans:step_toggle", args=[ActionStepFactory(plan=plan).pk]))
    # session, user, step, owner group, savepoint, step locked, update, history insert, release, step with
    # people, plan with counts, plan history, step history, all users
    with django_assert_num_queries(14):
        owner_client.post(reverse("actionplans:step_toggle", args=[step.pk]), **HTMX)
