"""A small business with one of everything a backup must bring back, and ways to compare two databases."""

import datetime
import io
import json
import uuid
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection
from django.db.models import JSONField, Value
from django.utils import timezone

from actionplans.models import ActionPlan
from backup import scope
from backup.selectors import history_model, parents_first
from core.business import business_settings
from customers.models import Customer
from feedback.models import FeedbackItem
from imports.models import ImportBatch, ImportedCustomer, ImportFile, ImportRowNote
from interactions.models import Interaction
from mail.models import SentEmail
from tests.actionplans.factories import ActionPlanFactory, ActionStepFactory
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory, UserFactory
from tests.feedback.factories import FeedbackFactory, FeedbackRequestFactory
from trash.services import customer_delete

# Every date in the world derives from this moment, and the cards are compared as of it.
MOMENT = "2026-11-20 10:00 +00:00"


@pytest.fixture
def world(db, owner, worker):
    """Customers who refer each other (a cycle too), interactions with money, follow-ups, feedback with its
    answers and requests, plans with steps, history with and without a reason, an import with its file, a trashed
    customer, the sent-log, changed business settings and a group of the owner's own."""
    now = timezone.now()
    today = timezone.localdate()
    settings_row = business_settings()
    settings_row.business_name = "Núñez Gardens"
    settings_row.hourly_cost = Decimal("42.50")
    settings_row.save()

    seasonal = Group.objects.create(name="Seasonal")
    seasonal.permissions.add(Permission.objects.get(codename="view_customer"))
    helper = UserFactory(username="hal", email="", role="field_worker")
    helper.groups.add(seasonal)
    helper.user_permissions.add(Permission.objects.get(codename="change_tag"))
    UserFactory(username="gone", is_active=False)

    hedges, pool = TagFactory(name="hedges"), TagFactory(name="pool")
    ann = CustomerFactory(name="Ann Referrer", tags=[hedges], customer_since=today - datetime.timedelta(days=400))
    mia = CustomerFactory(name="Mía Lañe, \"the hedge lady\"", referred_by=ann, assigned_to=worker,
                          tags=[hedges, pool], access_notes="Gate code 4321\nDog: Rex, friendly",
                          key_points="=SUM(A1) is not a formula here\r\nand a comma, too", contact_every_days=14)
    # Ann was referred by Mia in her turn: a cycle the restore must take as it is.
    Customer.objects.filter(pk=ann.pk).update(referred_by=mia)
    CustomerFactory(name="Fred Friend", referred_by=mia, email="", alt_phone="+12025550199")

    visit = InteractionFactory(customer=mia, user=worker, channel=Interaction.Channel.VISIT,
                               occurred_at=now - datetime.timedelta(days=40), amount_charged=Decimal("125.50"),
                               amount_refunded=Decimal("0.25"), attitude=Interaction.Attitude.HAPPY,
                               client_key=uuid.UUID("12345678-1234-5678-1234-567812345678"),
                               we_said_did="Trimmed the hedge 🌿", asked_for_sale=True)
    InteractionFactory(customer=mia, user=owner, occurred_at=now - datetime.timedelta(days=3), duration_seconds=None)
    FollowUpFactory(customer=mia, interaction=visit, assigned_to=owner, due_date=today,
                    description="Call Mía about the hedge")
    done = FollowUpFactory(customer=mia, assigned_to=worker, due_date=today - datetime.timedelta(days=2),
                           done_at=now, done_by=worker, description="Send Mía the quote")
    feedback = FeedbackFactory(customer=mia, recorded_by=worker, likes=["On time", "Tidy"],
                               improvements=["Call ahead"])
    FeedbackItem.objects.filter(feedback=feedback, kind=FeedbackItem.Kind.IMPROVEMENT).update(followup=done)
    FeedbackRequestFactory(customer=mia, feedback=feedback, answered_at=now)
    plan = ActionPlanFactory(title="Win Mía back", owner=owner, audience_kind=ActionPlan.Audience.CUSTOMER,
                             customer=mia)
    ActionStepFactory.create_batch(2, plan=plan, assignee=worker)
    ActionStepFactory(plan=ActionPlanFactory(title="Everyone plan", owner=owner), assignee=worker)

    bob = CustomerFactory(name="Bob Other", assigned_to=worker)
    InteractionFactory(customer=bob, user=worker, asked_for="Mow the lawn")
    FollowUpFactory(customer=bob, assigned_to=owner, due_date=today, description="Call Bob")
    FeedbackFactory(customer=bob, likes=["Friendly"])

    # History reasons: none (NULL), an empty one, and texts that look like the NULL marker.
    history = history_model(Customer)._base_manager
    history.filter(id=mia.pk).update(history_change_reason="")
    history.filter(id=ann.pk).update(history_change_reason="\\N")
    history.filter(id=bob.pk).update(history_change_reason="\\already escaped")

    batch = ImportBatch.objects.create(created_by=owner, filename="book.csv", kind="csv", size=5,
                                       header=["Name"], mapping=["name"], checked=None)
    ImportBatch.objects.filter(pk=batch.pk).update(sheets=Value(None, output_field=JSONField()))
    ImportFile.objects.create(batch=batch, data=b"Name\r\n\x00\xff binary")
    ImportedCustomer.objects.create(batch=batch, customer=bob, row_number=2, action="created", version_after=1)
    ImportRowNote.objects.create(batch=batch, row_number=3, kind="rejected", reason="No name", cells={"a": [1, None]})

    SentEmail.objects.create(user=worker, kind=SentEmail.Kind.REMINDER, period=today.isoformat(), claimed_at=now)
    trashed = customer_delete(customer=CustomerFactory(name="Trashed Tom"), deleted_by=owner)
    return {"mia": mia, "ann": ann, "bob": bob, "plan": plan, "feedback": feedback, "trashed": trashed}


def export_bytes(stream) -> bytes:
    return b"".join(stream)


def read_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def manifest_of(data: bytes) -> dict:
    return json.loads(read_zip(data).read("manifest.json"))


def rows_now() -> dict:
    """{model label: [every row as a tuple of its backed-up columns]} for every restored table, by id."""
    return {
        scope.label(model): list(model._base_manager.order_by("pk").values_list(
            *[field.attname for field in scope.columns(model)]))
        for model in scope.restored_models()
    }


def empty_the_database() -> None:
    """Deletes every row a restore writes, as a new database would lack them (migrations' rows included)."""
    # DELETE rather than the TRUNCATE of `flush`: PostgreSQL refuses to truncate a table with foreign-key checks
    # pending in the transaction, and the test's transaction has them.
    models = parents_first(scope.restored_models())
    with connection.cursor() as cursor:
        for model in reversed(models):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        # And the id counters start again, as in a new database.
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence")
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
