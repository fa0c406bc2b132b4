"""core.management.demo: how seed_demo runs the steps the apps register, without knowing any app."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.management.commands import seed_demo
from core.management.demo import DemoStep, DemoSteps


def run_with(steps: DemoSteps, monkeypatch, **options) -> str:
    monkeypatch.setattr(seed_demo, "demo_steps", steps)
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def recording_steps(calls: list) -> DemoSteps:
    steps = DemoSteps()

    @steps.register
    class Later(DemoStep):
        order = 20

        def prepare(self):
            calls.append("later.prepare")

        def batch(self, batch):
            calls.append(f"later.batch {batch.start}+{batch.size} after {batch.rows['made']}")

        def finish(self):
            calls.append("later.finish")

        def summary_added(self):
            return "1 thing"

    @steps.register
    class Earlier(DemoStep):
        order = 10

        def prepare(self):
            calls.append("earlier.prepare")

        def batch(self, batch):
            batch.rows["made"] = list(range(batch.start, batch.start + batch.size))

        def summary_total(self):
            return f"{self.run.customers} customers"

    return steps


@pytest.mark.django_db
def test_steps_run_in_order_phase_by_phase_and_share_each_batch(monkeypatch):
    calls = []

    output = run_with(recording_steps(calls), monkeypatch, customers=5, batch_size=3)

    assert calls == [
        "earlier.prepare",
        "later.prepare",
        "later.batch 0+3 after [0, 1, 2]",
        "later.batch 3+2 after [3, 4]",
        "later.finish",
    ]
    assert output.strip() == "Demo data: 5 customers in total; 1 thing added."


@pytest.mark.django_db
def test_nothing_is_finished_when_no_customer_was_asked_for(monkeypatch):
    calls = []

    run_with(recording_steps(calls), monkeypatch, customers=0)

    assert calls == ["earlier.prepare", "later.prepare"]


@pytest.mark.django_db
def test_with_if_empty_a_step_that_finds_its_data_stops_the_run(monkeypatch):
    calls = []
    steps = recording_steps(calls)

    @steps.register
    class Loaded(DemoStep):
        order = 15

        def loaded_already(self):
            return "Things exist already"

    output = run_with(steps, monkeypatch, customers=5, if_empty=True)

    assert output.strip() == "Things exist already: no demo data loaded."
    assert calls == []


def test_registering_a_step_twice_keeps_one():
    steps = DemoSteps()

    class Only(DemoStep):
        pass

    steps.register(Only)
    steps.register(Only)

    assert len(steps.for_run(run=None)) == 1
