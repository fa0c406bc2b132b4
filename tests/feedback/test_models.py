"""The database refuses what the choices do not offer, whichever code writes the row."""

import pytest
from django.db import IntegrityError, transaction

from feedback.models import Feedback, FeedbackItem

from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db


def test_every_channel_offered_is_accepted_and_no_other():
    feedback = FeedbackFactory(recorded_by=None)

    for channel in Feedback.Channel.values:
        Feedback.objects.filter(pk=feedback.pk).update(channel=channel)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.filter(pk=feedback.pk).update(channel="fax")


def test_every_kind_offered_is_accepted_and_no_other():
    feedback = FeedbackFactory()

    for position, kind in enumerate(FeedbackItem.Kind.values, start=1):
        FeedbackItem.objects.create(feedback=feedback, kind=kind, position=position, text="an answer")
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackItem.objects.create(feedback=feedback, kind="complaint", position=1, text="an answer")
