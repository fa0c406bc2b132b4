"""Demo action plans for seed_demo: an active plan with a creative step, and one for a single customer.

Reads run.shared["owner"], ["worker"] (accounts/demo.py) and ["tags"] (customers/demo.py).
"""

import datetime

from django.utils import timezone

from core.management.demo import DemoStep, demo_steps
from customers.demo import first_batch_customers
from customers.models import Customer

from . import services
from .models import ActionPlan


def seed_plans(owner, worker, customers, tags, *, today: datetime.date | None = None) -> list[ActionPlan]:
    """Creates two plans through the services (so they have history). Safe to call on an empty customer list."""
    today = today or timezone.localdate()
    day = datetime.timedelta(days=1)
    worker = worker or owner
    customers, tags = list(customers), list(tags)

    tag = tags[0] if tags else None
    regulars = services.plan_create(
        title=f"Keep our {tag} customers for life" if tag else "Keep every customer for life",
        owner=owner,
        audience_kind=ActionPlan.Audience.TAG if tag else ActionPlan.Audience.ALL,
        tag=tag,
        purpose="They should think of us first and tell their friends: we are remembered for how we work.",
        start_date=today - 14 * day,
        end_date=today + 60 * day,
        status=ActionPlan.Status.ACTIVE,
        changed_by=owner,
    )
    first = services.step_create(
        plan=regulars, what="Ask each of them the two feedback questions", due_date=today - 3 * day,
        assignee=owner, changed_by=owner,
    )
    services.step_complete(step=first, user=owner, note="Most like the tidy finish; two want earlier texts.")
    services.step_create(
        plan=regulars, what="Text the day before every visit, as they asked", due_date=today + 2 * day,
        assignee=worker, changed_by=owner,
    )
    services.step_create(
        plan=regulars, what="Leave a hand-written thank-you card and a seasonal plant after the next visit",
        due_date=today + 5 * day, assignee=worker, is_creative=True, changed_by=owner,
    )
    services.step_create(
        plan=regulars, what="Call the ones we have not heard from in three months", due_date=today - 1 * day,
        assignee=owner, changed_by=owner,
    )
    plans = [regulars]

    if customers:
        customer = customers[0]
        single = services.plan_create(
            title=f"Win back {customer}",
            owner=owner,
            audience_kind=ActionPlan.Audience.CUSTOMER,
            customer=customer,
            purpose="Understand what went wrong last time and show we listened.",
            start_date=today,
            end_date=today + 30 * day,
            status=ActionPlan.Status.DRAFT,
            changed_by=owner,
        )
        services.step_create(plan=single, what="Visit in person and ask what we could improve",
                             due_date=today + 4 * day, assignee=owner, changed_by=owner)
        plans.append(single)
    return plans


@demo_steps.register
class ActionPlansDemo(DemoStep):
    order = 60

    def prepare(self):
        self.plans = []

    def finish(self):
        shared = self.run.shared
        win_back = first_batch_customers(self.run, statuses=[Customer.Status.INACTIVE, Customer.Status.LOST], limit=1)
        self.plans = seed_plans(shared["owner"], shared["worker"], win_back, [shared["tags"]["VIP"]],
                                today=self.run.today)

    def summary_added(self):
        return f"{len(self.plans)} action plans"
