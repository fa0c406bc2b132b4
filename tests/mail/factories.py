import datetime

import factory
from django.utils import timezone

from mail.models import SentEmail
from tests.factories import UserFactory


class SentEmailFactory(factory.django.DjangoModelFactory):
    """A reminder that failed once and is due another try in a minute; pass status=... for others."""

    class Meta:
        model = SentEmail

    user = factory.SubFactory(UserFactory)
    kind = SentEmail.Kind.REMINDER
    period = factory.Sequence(lambda n: (datetime.date(2026, 1, 1) + datetime.timedelta(days=n)).isoformat())
    status = SentEmail.Status.FAILED
    claimed_at = factory.LazyFunction(timezone.now)
    attempts = 1
    message_id = factory.Sequence(lambda n: f"<{n}@crm.example>")
    last_error = "OSError: [Errno 111] Connection refused"
    give_up_at = factory.LazyAttribute(lambda e: e.claimed_at + datetime.timedelta(hours=6))
    next_attempt_at = factory.LazyAttribute(lambda e: e.claimed_at + datetime.timedelta(minutes=1))
    failing_since = factory.LazyAttribute(lambda e: e.claimed_at)
