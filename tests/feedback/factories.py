"""Factories for feedback tests."""

import factory
from django.utils import timezone

from feedback.models import Feedback, FeedbackItem, FeedbackRequest
from tests.factories import CustomerFactory


class FeedbackFactory(factory.django.DjangoModelFactory):
    """FeedbackFactory(likes=["On time"], improvements=["Call ahead"]) creates the answers too."""

    class Meta:
        model = Feedback
        skip_postgeneration_save = True

    customer = factory.SubFactory(CustomerFactory)
    channel = Feedback.Channel.IN_PERSON
    received_at = factory.LazyFunction(timezone.now)
    rating = 4

    @factory.post_generation
    def likes(self, create, extracted, **kwargs):
        for position, text in enumerate(extracted or [], start=1):
            FeedbackItem.objects.create(feedback=self, kind=FeedbackItem.Kind.LIKE, position=position, text=text)

    @factory.post_generation
    def improvements(self, create, extracted, **kwargs):
        for position, text in enumerate(extracted or [], start=1):
            FeedbackItem.objects.create(feedback=self, kind=FeedbackItem.Kind.IMPROVEMENT, position=position, text=text)


class FeedbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackRequest

    customer = factory.SubFactory(CustomerFactory)
    email = factory.SelfAttribute("customer.email")
    created_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyFunction(timezone.now)
