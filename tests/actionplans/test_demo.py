from actionplans.demo import seed_plans
from actionplans.models import ActionPlan
from tests.factories import CustomerFactory, TagFactory


def test_demo_data_has_an_active_plan_with_a_creative_step_and_history(owner, worker):
    tag = TagFactory(name="regular")
    customer = CustomerFactory(tags=[tag])

    plans = seed_plans(owner, worker, [customer], [tag])

    active = ActionPlan.objects.get(status="active")
    assert active in plans and active.tag == tag
    assert active.steps.filter(is_creative=True, assignee=worker).exists()
    assert active.steps.filter(done_at__isnull=False).exists()
    assert ActionPlan.objects.filter(customer=customer).exists()
    assert active.history.first().history_user == owner


def test_demo_data_works_without_customers_or_tags(owner):
    [plan] = seed_plans(owner, None, [], [])
    assert plan.audience_kind == "all" and plan.steps.filter(is_creative=True).exists()
