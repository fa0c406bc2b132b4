"""factory_boy factories shared by every test folder."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import FIELD_WORKER_GROUP, OWNER_GROUP, User
from customers.models import Customer, Tag
from followups.models import FollowUp
from interactions.models import Interaction


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """UserFactory(role="owner") or role="field_worker"."""
        if not create or not extracted:
            return
        name = {"owner": OWNER_GROUP, "field_worker": FIELD_WORKER_GROUP}[extracted]
        self.groups.add(Group.objects.get_or_create(name=name)[0])
        if extracted == "owner":
            self.is_staff = True
            self.save(update_fields=["is_staff"])


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    name = factory.Faker("name")
    phone = factory.Sequence(lambda n: f"+1202555{n % 10000:04d}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    street = factory.Faker("street_address")
    town = factory.Faker("city")

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    customer = factory.SubFactory(CustomerFactory)
    user = factory.SubFactory(UserFactory)
    channel = Interaction.Channel.CALL
    occurred_at = factory.LazyFunction(timezone.now)
    asked_for = "A quote for the hedge"
    duration_seconds = 120


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    customer = factory.SubFactory(CustomerFactory)
    assigned_to = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("assigned_to")
    description = "Call back about the quote"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=1))
