"""Two records of one person, each with things of their own, and someone who has nothing to do with them."""

import datetime

import pytest
from django.apps import apps
from django.core import serializers
from django.utils import timezone

from actionplans.models import ActionPlan
from tests.actionplans.factories import ActionPlanFactory, ActionStepFactory
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory
from tests.feedback.factories import FeedbackFactory, FeedbackRequestFactory

PROJECT_APPS = {"accounts", "customers", "followups", "interactions", "mail", "feedback", "actionplans", "team",
                "reminders", "offline", "health", "core", "today", "trash"}


def live_rows() -> dict:
    """{(model label, pk): fields} of every live row of the project's tables; history rows left out."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.proxy or meta.object_name.startswith("Historical"):
            continue
        for row in serializers.serialize("python", model._base_manager.order_by("pk")):
            rows[(meta.label, row["pk"])] = row["fields"]
    return rows


@pytest.fixture
def world(db, owner, worker):
    """Mia Lane twice: "Mia" (kept) with a phone and a tag, and "Mia Lane" (the duplicate) with an email, a
    postcode, interactions, follow-ups, feedback with answers and requests, a plan with steps, a customer she
    referred and another tag. Bob has his own of everything."""
    today = timezone.localdate()
    hedges, pool = TagFactory(name="hedges"), TagFactory(name="pool")
    kept = CustomerFactory(name="Mia", phone="+12025550111", email="", street="1 High St", town="", postcode="",
                           wants="A tidy garden", tags=[hedges])
    duplicate = CustomerFactory(name="Mia Lane", phone="+12025550111", email="mia@example.com", street="1 High Street",
                                town="Leeds", postcode="LS1 4AB", wants="Something else", assigned_to=worker,
                                tags=[hedges, pool])
    friend = CustomerFactory(name="Fred Friend", referred_by=duplicate)
    bob = CustomerFactory(name="Bob Other", assigned_to=worker)

    visit = InteractionFactory(customer=duplicate, user=worker, asked_for="Trim the hedge",
                               occurred_at=timezone.now() - datetime.timedelta(days=20))
    InteractionFactory(customer=duplicate, user=owner, asked_for="A quote for the pool")
    InteractionFactory(customer=kept, user=owner, asked_for="Mow the lawn")
    FollowUpFactory(customer=duplicate, interaction=visit, assigned_to=owner, due_date=today,
                    description="Call Mia about the hedge")
    feedback = FeedbackFactory(customer=duplicate, recorded_by=worker, likes=["On time", "Tidy"],
                               improvements=["Call ahead"])
    FeedbackRequestFactory(customer=duplicate, feedback=feedback, answered_at=timezone.now())
    FeedbackRequestFactory(customer=duplicate)
    plan = ActionPlanFactory(title="Win Mia back", owner=owner, audience_kind=ActionPlan.Audience.CUSTOMER,
                             customer=duplicate)
    ActionStepFactory.create_batch(2, plan=plan, assignee=worker)

    InteractionFactory(customer=bob, user=worker, asked_for="Mow the lawn")
    FollowUpFactory(customer=bob, assigned_to=owner, due_date=today, description="Call Bob")
    FeedbackFactory(customer=bob, likes=["Friendly"])
    return {"kept": kept, "duplicate": duplicate, "friend": friend, "bob": bob, "plan": plan, "feedback": feedback}
