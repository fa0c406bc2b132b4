import pytest

from feedback.demo import seed_feedback
from feedback.models import Feedback
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_the_demo_feedback_loads_and_acts_on_an_improvement(owner, worker):
    customers = CustomerFactory.create_batch(5)

    created = seed_feedback(owner, worker, customers)

    assert len(created) == Feedback.objects.count() == 4
    assert Feedback.objects.filter(channel=Feedback.Channel.LINK, recorded_by__isnull=True).count() == 1
    assert created[0].items.filter(followup__assigned_to=owner).count() == 1


def test_the_demo_feedback_copes_with_no_customers(owner):
    assert seed_feedback(owner, None, []) == []
