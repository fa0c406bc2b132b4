"""The follow-ups and the sent-log moved to apps of their own (followups/, mail/) without losing a row.

Run on the test database (SQLite in `make test`, PostgreSQL in CI): migrate back to before the move,
fill the old tables the way a business that has used the app for a while would have them, migrate
forward, and find every row, every link and every permission where the new apps expect them.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from feedback.models import FeedbackItem
from followups.models import FollowUp
from mail.models import SentEmail

BEFORE_THE_MOVE = [("followups", None), ("mail", None)]
ROWS = 300


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def _old_apps():
    """The models as the database has them now: every app at the last migration applied to it."""
    loader = MigrationExecutor(connection).loader
    applied = set(loader.applied_migrations)
    heads = [node for node in applied
             if not any(child in applied and child[0] == node[0] for child in loader.graph.node_map[node].children)]
    return loader.project_state(heads).apps


@pytest.fixture
def back_to_the_latest_migrations():
    """Whatever a test leaves behind, the next test finds the database fully migrated."""
    yield
    _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _seed_the_old_tables(apps) -> dict:
    """Customers, interactions, follow-ups (some done, some from an improvement), sent emails."""
    now = timezone.now()
    User = apps.get_model("accounts", "User")
    Customer = apps.get_model("customers", "Customer")
    Interaction = apps.get_model("interactions", "Interaction")
    OldFollowUp = apps.get_model("interactions", "FollowUp")
    Feedback = apps.get_model("feedback", "Feedback")
    OldFeedbackItem = apps.get_model("feedback", "FeedbackItem")
    OldSentEmail = apps.get_model("reminders", "SentEmail")

    user = User.objects.create(username="mover", email="mover@example.com", password="!")
    customers = Customer.objects.bulk_create(
        Customer(name=f"Customer {n}", sort_name=f"customer {n}", search_text=f"customer {n}") for n in range(ROWS)
    )
    interactions = Interaction.objects.bulk_create(
        Interaction(customer=c, user=user, occurred_at=now, channel="call", direction="inbound") for c in customers
    )
    followups = OldFollowUp.objects.bulk_create(
        OldFollowUp(customer=c, interaction=i, assigned_to=user, created_by=user, description=f"Call {c.name} back",
                    due_date=datetime.date(2026, 3, 1) + datetime.timedelta(days=n % 60),
                    done_at=now if n % 3 == 0 else None, attempts=1 + n % 4)
        for n, (c, i) in enumerate(zip(customers, interactions, strict=True))
    )
    feedback = Feedback.objects.create(customer=customers[0], received_at=now, recorded_by=user)
    item = OldFeedbackItem.objects.create(feedback=feedback, kind="improvement", text="Call before you come",
                                          position=1, followup=followups[5])
    OldSentEmail.objects.bulk_create(
        OldSentEmail(user=user, kind="reminder", period=f"2026-03-{day:02d}", status="sent", claimed_at=now,
                     sent_at=now, message_id=f"<{day}@example.com>")
        for day in range(1, 29)
    )
    return {
        "followups": {f.pk: (f.customer_id, f.interaction_id, f.description, f.due_date, f.done_at is not None,
                             f.attempts) for f in followups},
        "item": (item.pk, followups[5].pk),
        "sent": sorted(OldSentEmail.objects.values_list("pk", "period", "message_id")),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_moving_followups_and_the_sent_log_keeps_every_row_and_link():
    _migrate(BEFORE_THE_MOVE)
    assert "followups_followup" not in connection.introspection.table_names()
    seeded = _seed_the_old_tables(_old_apps())

    _migrate(_latest())

    tables = connection.introspection.table_names()
    assert {"followups_followup", "mail_sentemail"} <= set(tables)
    assert not {"interactions_followup", "reminders_sentemail"} & set(tables)
    moved = {f.pk: (f.customer_id, f.interaction_id, f.description, f.due_date, f.is_done, f.attempts)
             for f in FollowUp.objects.all()}
    assert moved == seeded["followups"]
    item_pk, followup_pk = seeded["item"]
    assert FeedbackItem.objects.get(pk=item_pk).followup_id == followup_pk
    assert sorted(SentEmail.objects.values_list("pk", "period", "message_id")) == seeded["sent"]
    # New rows continue the old numbering instead of colliding with it.
    customer_id, interaction_id, *_ = seeded["followups"][max(seeded["followups"])]
    newer = FollowUp.objects.create(customer_id=customer_id, assigned_to=FollowUp.objects.first().assigned_to,
                                    description="After the move", due_date=datetime.date(2026, 5, 1))
    assert newer.pk > max(seeded["followups"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_the_moved_models_keep_their_permissions_and_the_owners_grants():
    followup_type = ContentType.objects.get(app_label="followups", model="followup")
    owner_group, _ = Group.objects.get_or_create(name="Owner")
    change_followup = Permission.objects.get(content_type=followup_type, codename="change_followup")
    owner_group.permissions.add(change_followup)

    _migrate(BEFORE_THE_MOVE)
    back = ContentType.objects.get(pk=followup_type.pk)
    assert (back.app_label, back.model) == ("interactions", "followup")
    _migrate(_latest())

    assert ContentType.objects.get(pk=followup_type.pk).app_label == "followups"
    assert not ContentType.objects.filter(app_label="interactions", model="followup").exists()
    assert owner_group.permissions.filter(pk=change_followup.pk).exists()
    assert ContentType.objects.get(app_label="mail", model="sentemail")
