"""Shared personas: an owner, a field worker, an outsider (anonymous client)."""

import pytest
import time_machine

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


@pytest.fixture(autouse=True)
def _clock(request):
    """``@pytest.mark.clock(moment)`` freezes the clock at ``moment`` for the whole test, fixtures included.

    A login made by a fixture before the test freezes the clock would be months away from the frozen moment
    and its session expired; freezing from the first fixture on keeps every date in the test on one clock.
    """
    marker = request.node.get_closest_marker("clock")
    if marker is None:
        yield None
        return
    with time_machine.travel(marker.args[0], tick=marker.kwargs.get("tick", False)) as traveller:
        yield traveller
