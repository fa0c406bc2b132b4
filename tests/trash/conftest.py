"""A customer with one of everything that goes with them, and a snapshot of every live row to compare."""

import datetime

import pytest
from django.apps import apps
from django.core import serializers
from django.utils import timezone

from actionplans.models import ActionPlan
from tests.actionplans.factories import ActionPlanFactory, ActionStepFactory
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory, UserFactory
from tests.feedback.factories import FeedbackFactory, FeedbackRequestFactory

PROJECT_APPS = {"accounts", "customers", "followups", "interactions", "mail", "feedback", "actionplans", "team",
                "reminders", "offline", "health", "core", "today"}


def live_rows() -> dict:
    """Every live row of the project's tables, serialized (ids and every value), by model label.

    History rows are left out: deleting and restoring rightly adds to them.
    """
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.proxy or meta.label.split(".")[1].startswith("Historical"):
            continue
        snapshot[meta.label] = serializers.serialize("python", model._base_manager.order_by("pk"))
    return snapshot


@pytest.fixture
def world(db, owner, worker):
    """Mia Lane with interactions, follow-ups, feedback (answers, a request), a plan with steps, a tag and a
    customer she referred; Ann, who referred her; and Bob, who has nothing to do with her."""
    today = timezone.localdate()
    ann = CustomerFactory(name="Ann Referrer")
    mia = CustomerFactory(name="Mia Lane", referred_by=ann, assigned_to=worker,
                          tags=[TagFactory(name="hedges"), TagFactory(name="pool")])
    friend = CustomerFactory(name="Fred Friend", referred_by=mia)
    bob = CustomerFactory(name="Bob Other", assigned_to=worker)

    first_visit = InteractionFactory(customer=mia, user=worker, asked_for="Trim the hedge",
                                     occurred_at=timezone.now() - datetime.timedelta(days=200))
    InteractionFactory(customer=mia, user=owner, asked_for="A quote for the pool")
    FollowUpFactory(customer=mia, interaction=first_visit, assigned_to=owner, due_date=today,
                    description="Call Mia about the hedge")
    FollowUpFactory(customer=mia, assigned_to=worker, due_date=today - datetime.timedelta(days=2),
                    done_at=timezone.now(), done_by=worker, description="Send Mia the quote")
    feedback = FeedbackFactory(customer=mia, recorded_by=worker, likes=["On time", "Tidy"],
                               improvements=["Call ahead"])
    FeedbackRequestFactory(customer=mia, feedback=feedback, answered_at=timezone.now())
    FeedbackRequestFactory(customer=mia)
    plan = ActionPlanFactory(title="Win Mia back", owner=owner, audience_kind=ActionPlan.Audience.CUSTOMER,
                             customer=mia)
    ActionStepFactory.create_batch(2, plan=plan, assignee=worker)

    InteractionFactory(customer=bob, user=worker, asked_for="Mow the lawn")
    FollowUpFactory(customer=bob, assigned_to=owner, due_date=today, description="Call Bob")
    FeedbackFactory(customer=bob, likes=["Friendly"])
    ActionStepFactory(plan=ActionPlanFactory(title="Everyone plan", owner=owner), assignee=worker)
    return {"mia": mia, "ann": ann, "friend": friend, "bob": bob, "plan": plan, "feedback": feedback}


@pytest.fixture
def someone(db):
    return UserFactory(username="sam", role="field_worker")
