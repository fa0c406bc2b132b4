"""Shared personas: an owner, a field worker, an outsider (anonymous client)."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(username="olivia", first_name="Olivia", last_name="Owner", role="owner")


@pytest.fixture
def worker(db):
    return UserFactory(username="will", first_name="Will", last_name="Worker", role="field_worker")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client
