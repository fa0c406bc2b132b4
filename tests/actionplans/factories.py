"""Factories for action plans; shared personas and customers come from tests/factories.py."""

import datetime

import factory
from django.utils import timezone

from actionplans.models import ActionPlan, ActionStep
from tests.factories import UserFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    title = factory.Sequence(lambda n: f"Plan {n}")
    audience_kind = ActionPlan.Audience.ALL
    purpose = "Be remembered for how we work."
    owner = factory.SubFactory(UserFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = ActionPlan.Status.ACTIVE


class ActionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStep

    plan = factory.SubFactory(ActionPlanFactory)
    what = factory.Sequence(lambda n: f"Step {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))
    assignee = factory.SubFactory(UserFactory)
    position = factory.Sequence(lambda n: n + 1)
