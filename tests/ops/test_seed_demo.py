"""manage.py seed_demo: realistic demo data, in bulk, with the same rules as data typed in the app."""

import datetime
from io import StringIO

import phonenumbers
import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import FIELD_WORKER_GROUP, OWNER_GROUP, User
from accounts.services import owner_create
from actionplans.models import ActionPlan
from customers.models import Customer
from customers.search import phone_digits
from feedback.models import Feedback, FeedbackItem
from followups.models import FollowUp
from interactions.models import Interaction
from tests.factories import CustomerFactory


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed(customers=60)


def test_it_creates_an_owner_and_a_field_worker_with_printed_passwords(seeded):
    # Given a database seeded from empty
    owner = User.objects.get(username="owner")
    sam = User.objects.get(username="sam")

    # Then both can log in with the passwords printed, each in their group
    passwords = [chunk.split()[0] for chunk in seeded.split("Password:")[1:]]
    assert owner.check_password(passwords[0])
    assert sam.check_password(passwords[1])
    assert list(owner.groups.values_list("name", flat=True)) == [OWNER_GROUP]
    assert list(sam.groups.values_list("name", flat=True)) == [FIELD_WORKER_GROUP]
    assert owner.is_owner and not sam.is_owner
    assert not sam.is_staff


@pytest.mark.django_db
def test_it_uses_the_existing_owner(owner):
    # Given an owner already (the shared persona)
    # When demo data is loaded
    output = seed(customers=5)

    # Then no other owner is created, and only sam's password is printed
    assert User.objects.filter(groups__name=OWNER_GROUP).count() == 1
    assert output.count("Password:") == 1
    assert Customer.objects.filter(assigned_to=owner).exists() or Interaction.objects.filter(user=owner).exists()


def test_every_phone_is_valid_and_stored_with_its_digits(seeded):
    # Given seeded customers
    customers = list(Customer.objects.all())

    # Then every phone passes phonenumbers' validation and is findable by its digits
    assert len(customers) == 60
    for customer in customers:
        assert phonenumbers.is_valid_number(customer.phone), customer.phone
        assert customer.phone_digits == phone_digits(customer.phone)
        assert customer.phone_digits.startswith("1") and len(customer.phone_digits) == 11
        if customer.alt_phone:
            assert phonenumbers.is_valid_number(customer.alt_phone)
            assert customer.alt_phone_digits == phone_digits(customer.alt_phone)
    assert len({c.phone_digits for c in customers}) == 60


def test_customers_have_accented_names_and_the_derived_search_fields(seeded):
    # Given seeded customers
    jose = Customer.objects.get(name="José Núñez")

    # Then the accent-folded fields used by search are filled in
    assert jose.sort_name == "jose nunez"
    assert "jose nunez" in jose.search_text
    assert Customer.objects.filter(name="Zoë Brontë").exists()
    assert not Customer.objects.filter(sort_name="").exists()


def test_customers_have_full_profiles_tags_and_referrals(seeded):
    # Given seeded customers
    jose = Customer.objects.get(name="José Núñez")

    # Then profiles are filled in the way an owner would fill them in
    assert jose.access_notes and jose.soft_needs and jose.wants and jose.needs and jose.street and jose.town
    assert set(jose.tags.values_list("name", flat=True)) == {"weekly", "VIP", "pets"}
    assert Customer.objects.filter(tags__name="commercial", kind=Customer.Kind.BUSINESS).exists()
    assert {s for s in Customer.objects.values_list("status", flat=True)} >= {"active", "lead"}
    referred = Customer.objects.filter(referred_by__isnull=False)
    assert referred.exists()
    assert all(c.source == Customer.Source.REFERRAL and c.referred_by_id != c.pk for c in referred)


def test_interactions_have_the_checklist_filled(seeded):
    # Given seeded interactions
    interactions = Interaction.objects.all()

    # Then each one answers the checklist questions
    assert interactions.count() >= 60
    for interaction in interactions:
        assert interaction.asked_for and interaction.we_said_did
        assert 1 <= interaction.attitude <= 5 and interaction.attitude_note
        assert interaction.occurred_at <= timezone.now()
    assert interactions.filter(amount_charged__gt=0).exists()
    assert interactions.filter(asked_for_referral=True).exists()


def test_open_followups_are_overdue_due_today_and_this_week_for_both_users(seeded):
    # Given seeded follow-ups
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=6)

    # Then each user has something in every section of Today
    for username in ("owner", "sam"):
        mine = FollowUp.objects.open().filter(assigned_to__username=username)
        assert mine.filter(due_date__lt=today).exists(), username
        assert mine.filter(due_date=today).exists(), username
        assert mine.filter(due_date__gt=today, due_date__lte=week_end).exists(), username
    done = FollowUp.objects.filter(done_at__isnull=False)
    assert done.exists() and all(f.outcome for f in done)


@pytest.mark.django_db
def test_if_empty_does_nothing_when_customers_exist():
    # Given one customer typed in by hand
    CustomerFactory()

    # When demo data is asked for only if the database is empty
    output = seed(if_empty=True)

    # Then nothing is added, not even users
    assert "Customers exist already" in output
    assert Customer.objects.count() == 1
    assert not User.objects.filter(username="sam").exists()


@pytest.mark.django_db
def test_if_empty_loads_into_an_empty_database():
    # Given an empty database, when --if-empty is used
    seed(if_empty=True, customers=10)

    # Then the demo data is there
    assert Customer.objects.count() == 10


@pytest.mark.django_db
def test_it_creates_exactly_the_number_of_customers_asked_for_across_batches():
    # Given a batch size that does not divide the count
    # When 300 customers are asked for
    seed(customers=300, batch_size=70)

    # Then exactly 300 exist, with their tags and interactions linked
    assert Customer.objects.count() == 300
    assert Customer.tags.through.objects.exists()
    assert Interaction.objects.values("customer").distinct().count() > 200
    assert len(set(Customer.objects.values_list("phone_digits", flat=True))) == 300


@pytest.mark.django_db
def test_a_second_run_adds_customers_and_reuses_the_users():
    # Given demo data loaded once
    seed(customers=20)

    # When it is loaded again without --if-empty
    output = seed(customers=20)

    # Then there are more customers, each with a phone of their own, and still the same two users
    assert Customer.objects.count() == 40
    assert len(set(Customer.objects.values_list("phone_digits", flat=True))) == 40
    assert User.objects.count() == 2
    assert "Password:" not in output


def test_it_ends_with_a_summary_of_what_there_is_and_what_it_added(seeded):
    # Given a database seeded from empty (so everything there was added by this run)
    # Then the last line sums it up
    assert seeded.strip().splitlines()[-1] == (
        f"Demo data: 60 customers, {Interaction.objects.count()} interactions, {FollowUp.objects.count()} follow-ups "
        f"in total; {ActionPlan.objects.count()} action plans and {Feedback.objects.count()} pieces of feedback added."
    )


def test_it_adds_demo_action_plans(seeded):
    # Given a database seeded from empty
    # Then the action-plans app has its demo plans, one of them for the VIP customers
    plans = ActionPlan.objects.all()
    assert plans.count() >= 1
    assert plans.filter(tag__name="VIP").exists()


def test_it_adds_demo_feedback_with_likes_and_improvements(seeded):
    feedback = Feedback.objects.prefetch_related("items")

    assert feedback.count() >= 3
    kinds = {item.kind for f in feedback for item in f.items.all()}
    assert kinds == {FeedbackItem.Kind.LIKE, FeedbackItem.Kind.IMPROVEMENT}
    assert all(f.customer.status == Customer.Status.ACTIVE for f in feedback)


@pytest.mark.django_db
def test_the_field_worker_gets_another_name_when_the_owner_is_called_sam():
    # Given an owner whose username is "sam"
    owner_create(username="sam", password="a-long-chosen-passphrase")

    # When demo data is loaded
    seed(customers=3)

    # Then the owner stays an owner only, and the field worker is someone else
    assert not User.objects.get(username="sam").groups.filter(name=FIELD_WORKER_GROUP).exists()
    assert User.objects.get(username="sam2").groups.filter(name=FIELD_WORKER_GROUP).exists()


@pytest.mark.django_db
def test_every_seeded_row_has_its_created_record_in_the_history():
    # Given demo data loaded in three batches (bulk inserts send no signals)
    seed(customers=30, batch_size=12)

    # Then each customer, interaction, follow-up and piece of feedback has one "+" record, as the row is stored
    for model in (Customer, Interaction, FollowUp, Feedback):
        rows = {row.pk: row for row in model.objects.all()}
        created = {record.id: record for record in model.history.filter(history_type="+")}
        assert rows and created.keys() == rows.keys(), model
        # A lost customer also has the change that lost them (Insights counts customers lost in a period)
        lost = Customer.objects.filter(status="lost").count() if model is Customer else 0
        assert model.history.count() == len(rows) + lost, model
    # The loss is dated after the customer was created, and was a change from active to lost
    for record in Customer.history.filter(history_type="~"):
        created = Customer.history.get(id=record.id, history_type="+")
        assert (created.status, record.status) == ("active", "lost")
        assert created.history_date < record.history_date
    # (a referral is set after its customer is inserted: the record has it too)
    referred = Customer.objects.filter(referred_by__isnull=False).first()
    assert Customer.history.get(id=referred.pk, history_type="+").referred_by_id == referred.referred_by_id
    # And an interaction's record names who logged it
    interaction = Interaction.objects.first()
    assert Interaction.history.get(id=interaction.pk).history_user == interaction.user
