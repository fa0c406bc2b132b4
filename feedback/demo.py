"""Demo feedback for seed_demo: a few months of answers from the first active customers.

Reads run.shared["owner"] and ["worker"] (accounts/demo.py).
"""

import datetime

from django.utils import timezone

from core.management.demo import DemoStep, demo_steps
from customers.demo import first_batch_customers
from customers.models import Customer

from . import services
from .models import Feedback, FeedbackItem

DEMO_ANSWERS = [
    (["Always on time", "You close the gate", "Friendly with the dog"], ["Text when you are on the way"], 5,
     Feedback.Channel.IN_PERSON, 3),
    (["Tidy work"], ["Earlier appointments", "Send the invoice by email"], 4, Feedback.Channel.PHONE, 20),
    (["Fair prices", "Good advice on the hedge"], ["Call before you come", "Sweep up the clippings"], 3,
     Feedback.Channel.LINK, 45),
    (["Remembered what we asked last time"], [], 5, Feedback.Channel.IN_PERSON, 80),
]


def seed_feedback(owner, worker, customers, *, now: datetime.datetime | None = None) -> list[Feedback]:
    """A few months of feedback from the first customers; the first improvement already has a follow-up."""
    now = now or timezone.now()
    created = []
    for customer, (likes, improvements, rating, channel, days_ago) in zip(list(customers), DEMO_ANSWERS, strict=False):
        created.append(services.feedback_create(
            customer=customer, likes=likes, improvements=improvements, rating=rating, channel=channel,
            received_at=now - datetime.timedelta(days=days_ago),
            recorded_by=None if channel == Feedback.Channel.LINK else (worker or owner),
        ))
    if created:
        first = created[0].items.filter(kind=FeedbackItem.Kind.IMPROVEMENT).first()
        if first:
            services.improvement_followup_create(item=first, user=owner)
    return created


@demo_steps.register
class FeedbackDemo(DemoStep):
    order = 70

    def prepare(self):
        self.feedback = []

    def finish(self):
        shared = self.run.shared
        active = first_batch_customers(self.run, statuses=[Customer.Status.ACTIVE], limit=8)
        self.feedback = seed_feedback(shared["owner"], shared["worker"], active)

    def summary_added(self):
        return f"{len(self.feedback)} pieces of feedback"
