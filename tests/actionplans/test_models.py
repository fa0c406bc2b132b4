import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actionplans import services
from actionplans.models import ActionPlan, ActionStep
from tests.factories import CustomerFactory, TagFactory, UserFactory

from .factories import ActionPlanFactory, ActionStepFactory

TODAY = datetime.date(2026, 11, 23)


def _raw_plan(**fields):
    values = {"title": "Plan", "owner": UserFactory(), "start_date": TODAY, "end_date": TODAY, "audience_kind": "all"}
    values.update(fields)
    return ActionPlan.objects.create(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, with_customer, with_tag",
    [
        ("customer", False, False),
        ("customer", True, True),
        ("tag", False, False),
        ("tag", True, True),
        ("all", True, False),
        ("all", False, True),
    ],
)
def test_the_database_refuses_an_audience_that_does_not_match_its_kind(kind, with_customer, with_tag):
    customer = CustomerFactory() if with_customer else None
    tag = TagFactory() if with_tag else None
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_plan(audience_kind=kind, customer=customer, tag=tag)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["customer", "tag", "all"])
def test_the_database_accepts_each_audience_with_the_right_link(kind):
    plan = _raw_plan(
        audience_kind=kind,
        customer=CustomerFactory() if kind == "customer" else None,
        tag=TagFactory() if kind == "tag" else None,
    )
    assert ActionPlan.objects.filter(pk=plan.pk, audience_kind=kind).exists()


@pytest.mark.django_db
def test_the_database_refuses_a_plan_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_plan(start_date=TODAY, end_date=TODAY - datetime.timedelta(days=1))


@pytest.mark.django_db
def test_the_database_refuses_a_status_that_is_not_a_choice():
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_plan(status="paused")


@pytest.mark.django_db
@pytest.mark.parametrize("status", ActionPlan.Status.values)
def test_the_database_accepts_every_status_choice(status):
    assert _raw_plan(status=status).status == status


@pytest.mark.django_db
def test_the_database_refuses_done_by_without_done_at():
    step = ActionStepFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionStep.objects.filter(pk=step.pk).update(done_by=step.assignee)


@pytest.mark.django_db
def test_validation_puts_an_end_before_the_start_beside_the_end_field():
    with pytest.raises(ValidationError) as error:
        services.plan_create(title="Plan", owner=UserFactory(), start_date=TODAY,
                             end_date=TODAY - datetime.timedelta(days=1))
    assert "end_date" in error.value.message_dict
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_validation_asks_for_the_customer_of_a_one_customer_plan():
    with pytest.raises(ValidationError) as error:
        services.plan_create(title="Plan", owner=UserFactory(), start_date=TODAY, end_date=TODAY,
                             audience_kind="customer")
    assert "customer" in error.value.message_dict


@pytest.mark.django_db
def test_validation_asks_for_the_tag_of_a_tag_plan():
    with pytest.raises(ValidationError) as error:
        services.plan_create(title="Plan", owner=UserFactory(), start_date=TODAY, end_date=TODAY, audience_kind="tag")
    assert "tag" in error.value.message_dict


@pytest.mark.django_db
def test_a_plan_for_all_customers_forgets_a_customer_chosen_before():
    plan = services.plan_create(title="Plan", owner=UserFactory(), start_date=TODAY, end_date=TODAY,
                                audience_kind="all", customer=CustomerFactory(), tag=TagFactory())
    plan.refresh_from_db()
    assert (plan.customer_id, plan.tag_id) == (None, None)


@pytest.mark.django_db
def test_a_step_due_outside_the_plan_is_allowed_but_flagged():
    plan = ActionPlanFactory(start_date=TODAY, end_date=TODAY + datetime.timedelta(days=10))
    step = services.step_create(plan=plan, what="Late call", due_date=TODAY + datetime.timedelta(days=11))
    inside = services.step_create(plan=plan, what="On time", due_date=TODAY + datetime.timedelta(days=10))
    assert step.is_outside_plan
    assert not inside.is_outside_plan


@pytest.mark.django_db
def test_new_steps_go_to_the_end_of_the_plan():
    plan = ActionPlanFactory()
    first = services.step_create(plan=plan, what="One", due_date=TODAY)
    second = services.step_create(plan=plan, what="Two", due_date=TODAY)
    assert [s.what for s in plan.steps.all()] == ["One", "Two"]
    assert first.position < second.position


@pytest.mark.django_db
def test_checking_a_step_off_twice_keeps_the_first_time_and_person():
    step = ActionStepFactory()
    first = services.step_complete(step=step, user=step.assignee, note="Went well")
    again = services.step_complete(step=step, user=UserFactory(), note="Again")
    assert again.done_at == first.done_at
    assert again.done_by == step.assignee
    assert again.done_note == "Went well"


@pytest.mark.django_db
def test_moving_steps_swaps_them_and_stops_at_the_ends():
    plan = ActionPlanFactory()
    a, b, c = (services.step_create(plan=plan, what=w, due_date=TODAY) for w in "abc")
    assert services.step_move(step=c, up=True)
    assert not services.step_move(step=a, up=True)
    assert [s.what for s in plan.steps.all()] == ["a", "c", "b"]
    assert services.step_move(step=a, up=False)
    assert [s.what for s in plan.steps.all()] == ["c", "a", "b"]


@pytest.mark.django_db
def test_moving_heals_duplicate_positions():
    plan = ActionPlanFactory()
    ActionStepFactory(plan=plan, position=1, what="a")
    b = ActionStepFactory(plan=plan, position=1, what="b")
    services.step_move(step=b, up=True)
    assert [(s.what, s.position) for s in plan.steps.all()] == [("b", 1), ("a", 2)]


@pytest.mark.django_db
def test_updating_a_plan_to_serve_everyone_forgets_its_customer():
    plan = ActionPlanFactory(audience_kind="customer", customer=CustomerFactory())

    services.plan_update(plan=plan, audience_kind="all")

    plan.refresh_from_db()
    assert (plan.audience_kind, plan.customer_id, plan.tag_id) == ("all", None, None)


@pytest.mark.django_db
def test_updating_a_plan_with_what_it_already_says_writes_no_history():
    plan = ActionPlanFactory(title="Regulars")

    services.plan_update(plan=plan, title="Regulars", status=plan.status)

    assert ActionPlan.history.filter(id=plan.pk).count() == 1


@pytest.mark.django_db
def test_updating_a_plan_refuses_a_field_the_form_may_not_change():
    plan = ActionPlanFactory()
    with pytest.raises(ValueError):
        services.plan_update(plan=plan, created_at=TODAY)


@pytest.mark.django_db
def test_updating_a_step_compares_with_the_database_not_with_the_callers_copy():
    step = ActionStepFactory(what="Call them")
    step.what = "Visit them"  # as a ModelForm leaves it after validation

    services.step_update(step=step, what="Visit them")

    step.refresh_from_db()
    assert step.what == "Visit them"
    assert ActionStep.history.filter(id=step.pk).latest("history_date").what == "Visit them"
