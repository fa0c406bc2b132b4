"""Writes sent by a phone that was offline. Each submission carries a client_key, so sending it twice stores it once."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from interactions.models import Interaction
from interactions.services import interaction_create


def _stored(user, client_key: uuid.UUID) -> Interaction | None:
    # Scoped to the user (interaction_client_key_per_user): someone else's key never finds their visit.
    return Interaction.objects.filter(user=user, client_key=client_key).first()


def interaction_sync(*, customer, user, client_key: uuid.UUID, fields: dict) -> tuple[Interaction, bool]:
    """Stores a visit logged on a phone, once per user and key. Returns (interaction, created).

    The phone only ever creates interactions, so a sync has nothing to overwrite and no version to compare:
    sending the same visit again returns the one stored, never a second one.
    """
    existing = _stored(user, client_key)
    if existing is not None:
        return existing, False
    try:
        # A savepoint: a concurrent send of the same key fails here without spoiling an outer transaction.
        with transaction.atomic():
            return interaction_create(customer=customer, user=user, client_key=client_key, **fields), True
    except (IntegrityError, ValidationError) as error:
        # Another request stored the same key between our read and our write.
        existing = _stored(user, client_key)
        if existing is None:
            raise error
        return existing, False
