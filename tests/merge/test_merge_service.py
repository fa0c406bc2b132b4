"""customer_merge: everything of the duplicate moves to the customer kept, and the history says so."""

import pytest
from django.core.exceptions import ValidationError

from actionplans.models import ActionPlan, ActionStep
from customers.models import Customer
from feedback.models import Feedback, FeedbackItem, FeedbackRequest
from followups.models import FollowUp
from interactions.models import Interaction
from merge.relations import customer_relations
from merge.services import customer_merge
from tests.factories import CustomerFactory

from .conftest import live_rows

# What a move may change on a row that pointed at the duplicate.
MOVED_FIELDS = {"customer", "referred_by", "version", "updated_at"}


def test_every_row_of_the_duplicate_moves_to_the_customer_kept(world, owner):
    kept, duplicate = world["kept"], world["duplicate"]

    customer_merge(keep=kept, other=duplicate, merged_by=owner)

    assert Interaction.objects.filter(customer=kept).count() == 3
    assert FollowUp.objects.filter(customer=kept).count() == 1
    assert Feedback.objects.get(customer=kept) == world["feedback"]
    assert FeedbackItem.objects.filter(feedback=world["feedback"]).count() == 3
    assert FeedbackRequest.objects.filter(customer=kept).count() == 2
    assert ActionPlan.objects.get(customer=kept) == world["plan"]
    assert ActionStep.objects.filter(plan=world["plan"]).count() == 2
    assert Customer.objects.get(pk=world["friend"].pk).referred_by == kept
    assert not Customer.objects.filter(pk=duplicate.pk).exists()


def test_the_tags_are_united(world, owner):
    customer_merge(keep=world["kept"], other=world["duplicate"], merged_by=owner)

    assert sorted(world["kept"].tags.values_list("name", flat=True)) == ["hedges", "pool"]


def test_empty_fields_are_filled_and_filled_ones_kept(world, owner, worker):
    kept = customer_merge(keep=world["kept"], other=world["duplicate"], merged_by=owner).customer

    kept.refresh_from_db()
    assert (kept.name, kept.street, kept.wants) == ("Mia", "1 High St", "A tidy garden")
    assert (kept.email, kept.town, kept.postcode, kept.assigned_to) == ("mia@example.com", "Leeds", "LS1 4AB", worker)
    assert kept.search_text.endswith("ls1 4ab")


def test_the_kept_customer_gets_a_new_version_and_a_history_entry(world, owner):
    kept, duplicate = world["kept"], world["duplicate"]
    version = kept.version

    customer_merge(keep=kept, other=duplicate, merged_by=owner)

    kept.refresh_from_db()
    assert kept.version == version + 1
    latest = kept.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (owner, f"Merged with Mia Lane (#{duplicate.pk})")


def test_each_moved_row_has_a_history_entry(world, owner):
    kept = world["kept"]

    customer_merge(keep=kept, other=world["duplicate"], merged_by=owner)

    for row in [*Interaction.objects.filter(asked_for__startswith="A quote"), FollowUp.objects.get(customer=kept),
                world["feedback"], world["plan"], Customer.objects.get(pk=world["friend"].pk)]:
        latest = row.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (owner, "Merged from Mia Lane")
        assert latest.instance.pk == row.pk


def test_nothing_else_changes(world, owner):
    kept, duplicate = world["kept"], world["duplicate"]
    pointing = {(rel.related_model._meta.label, pk) for rel in customer_relations()
                for pk in rel.related_model._base_manager.filter(**{rel.field.name: duplicate}).values_list("pk", flat=True)}
    before = live_rows()

    customer_merge(keep=kept, other=duplicate, merged_by=owner)

    after = live_rows()
    gone = {key for key in before if key not in after}
    assert gone == {("customers.Customer", duplicate.pk)} | {
        key for key in before if key[0] == "customers.Customer_tags"} - set(after)
    for key, fields in before.items():
        if key in gone or key == ("customers.Customer", kept.pk):
            continue
        changed = {name for name in fields if fields[name] != after[key][name]}
        assert changed <= (MOVED_FIELDS if key in pointing else set()), key


def test_a_customer_cannot_be_merged_with_themselves(world, owner):
    with pytest.raises(ValidationError):
        customer_merge(keep=world["kept"], other=world["kept"], merged_by=owner)

    assert Customer.objects.filter(pk=world["kept"].pk).exists()


def test_a_kept_customer_referred_by_the_duplicate_takes_the_duplicate_referrer(db, owner):
    ann = CustomerFactory(name="Ann")
    duplicate = CustomerFactory(name="Mia Lane", referred_by=ann)
    kept = CustomerFactory(name="Mia", referred_by=duplicate)

    customer_merge(keep=kept, other=duplicate, merged_by=owner)

    kept.refresh_from_db()
    assert kept.referred_by == ann


def test_no_other_model_links_to_customers_through_a_many_to_many(db):
    # The merge moves foreign keys; a many-to-many to customers from another model would need moving too.
    assert [rel for rel in Customer._meta.related_objects if rel.many_to_many] == []
