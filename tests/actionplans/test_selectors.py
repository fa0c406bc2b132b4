import datetime

import pytest

from actionplans import selectors, services
from actionplans.models import progress_percent
from tests.factories import CustomerFactory, TagFactory, UserFactory

from .factories import ActionPlanFactory, ActionStepFactory

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize("done, total, percent", [(0, 0, 0), (0, 3, 0), (1, 3, 33), (2, 3, 67), (4, 4, 100)])
def test_progress_is_the_whole_percent_of_steps_done(done, total, percent):
    assert progress_percent(done, total) == percent


@pytest.mark.django_db
def test_the_plan_list_counts_steps_done_and_overdue():
    plan = ActionPlanFactory()
    ActionStepFactory(plan=plan, due_date=TODAY - DAY)  # overdue
    ActionStepFactory(plan=plan, due_date=TODAY - DAY, done_at=datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC))
    ActionStepFactory(plan=plan, due_date=TODAY)  # due today: not overdue
    listed = selectors.plan_list(today=TODAY).get(pk=plan.pk)
    assert (listed.steps_total, listed.steps_done, listed.steps_overdue) == (3, 1, 1)
    assert listed.progress_percent == 33


@pytest.mark.django_db
def test_the_plan_list_shows_active_then_draft_then_done_then_archived():
    for status in ["archived", "done", "draft", "active"]:
        ActionPlanFactory(title=status, status=status)
    assert [p.title for p in selectors.plan_list(today=TODAY)] == ["active", "draft", "done", "archived"]


@pytest.mark.django_db
def test_a_customer_is_served_by_plans_for_them_for_their_tags_and_for_everyone():
    regular, other_tag = TagFactory(name="regular"), TagFactory(name="commercial")
    customer = CustomerFactory(tags=[regular])
    someone_else = CustomerFactory(tags=[other_tag])
    direct = ActionPlanFactory(title="direct", audience_kind="customer", customer=customer)
    by_tag = ActionPlanFactory(title="by tag", audience_kind="tag", tag=regular)
    everyone = ActionPlanFactory(title="everyone", audience_kind="all")
    ActionPlanFactory(title="other customer", audience_kind="customer", customer=someone_else)
    ActionPlanFactory(title="other tag", audience_kind="tag", tag=other_tag)
    ActionPlanFactory(title="archived", audience_kind="all", status="archived")

    plans = selectors.plans_for_customer(customer=customer)

    assert {p.pk for p in plans} == {direct.pk, by_tag.pk, everyone.pk}


@pytest.mark.django_db
def test_a_customer_without_tags_is_served_only_by_their_own_and_everyone_plans():
    customer = CustomerFactory()
    ActionPlanFactory(audience_kind="tag", tag=TagFactory())
    everyone = ActionPlanFactory(audience_kind="all")
    assert [p.pk for p in selectors.plans_for_customer(customer=customer)] == [everyone.pk]


@pytest.mark.django_db
def test_the_card_lists_each_plans_first_open_steps_in_order():
    plan = ActionPlanFactory()
    ActionStepFactory(plan=plan, what="done", position=1, done_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    for n in range(2, 7):
        ActionStepFactory(plan=plan, what=f"open {n}", position=n)
    [listed] = selectors.plans_for_customer(customer=CustomerFactory())
    assert [s.what for s in listed.next_steps] == ["open 2", "open 3", "open 4"]


@pytest.mark.django_db
def test_steps_due_for_a_user_are_their_open_overdue_and_this_weeks_steps_of_active_plans():
    me, colleague = UserFactory(), UserFactory()
    plan = ActionPlanFactory()
    overdue = ActionStepFactory(plan=plan, assignee=me, due_date=TODAY - 10 * DAY)
    today = ActionStepFactory(plan=plan, assignee=me, due_date=TODAY)
    in_six_days = ActionStepFactory(plan=plan, assignee=me, due_date=TODAY + 6 * DAY)
    ActionStepFactory(plan=plan, assignee=me, due_date=TODAY + 7 * DAY)  # next week
    ActionStepFactory(plan=plan, assignee=colleague, due_date=TODAY)
    ActionStepFactory(plan=plan, assignee=me, due_date=TODAY, done_at=datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC))
    ActionStepFactory(plan=ActionPlanFactory(status="draft"), assignee=me, due_date=TODAY)

    due = list(selectors.steps_due_for_user(me, TODAY))

    assert due == [overdue, today, in_six_days]
    split = selectors.due_steps_split(me, TODAY)
    assert (split.overdue, split.upcoming, split.count) == ([overdue], [today, in_six_days], 3)


@pytest.mark.django_db
def test_history_names_who_changed_what_from_old_to_new():
    owner = UserFactory(first_name="Olivia", last_name="Owner")
    plan = services.plan_create(title="Keep them", owner=owner, start_date=TODAY, end_date=TODAY + 9 * DAY,
                                changed_by=owner)
    services.plan_update(plan=plan, title="Keep them for life", status="active", changed_by=owner)

    [changed, created] = selectors.plan_history(plan=plan)

    assert created.action == "created" and created.user == owner
    assert changed.action == "changed" and changed.user == owner
    assert {(str(c.field), str(c.old), str(c.new)) for c in changed.changes} == {
        ("title", "Keep them", "Keep them for life"),
        ("status", "Draft", "Active"),
    }
