"""The steps of ``manage.py seed_demo``: each app loads its own demo data from its own ``demo.py``.

seed_demo imports every installed app's ``demo`` module (the way the admin autodiscovers ``admin.py``), so
core never imports an app. A module registers one step for its app:

    @demo_steps.register
    class CustomersDemo(DemoStep):
        order = 20

        def batch(self, batch):
            ...

A step class is instantiated afresh for every run, so it may keep its own state on ``self``. The steps run
in ``order``, phase by phase: every step's ``prepare()``; then, for each batch of customers, every step's
``batch()`` in one transaction; then, when the run added customers, every step's ``finish()``. What a later
step needs from an earlier one goes in ``run.shared`` (for the run) or ``batch.rows`` (for the batch); each
demo.py says which names it sets and which it reads.
"""

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import OutputWrapper
from django.core.management.color import Style

# bulk_create sends no signals, so simple_history writes no record by itself: each step that bulk-creates rows with
# history writes their "+" records too (simple_history.utils.bulk_create_with_history, or the history manager's
# bulk_history_create), dated run.now and with this reason, so the card's History starts as it does for typed rows.
HISTORY_REASON = "demo data"


@dataclass
class DemoRun:
    rng: random.Random  # the only source of randomness: the same seed gives the same data
    today: datetime.date
    now: datetime.datetime
    customers: int  # how many customers this run adds
    batch_size: int
    stdout: OutputWrapper
    style: Style
    shared: dict[str, Any] = field(default_factory=dict)


@dataclass
class DemoBatch:
    start: int  # the position of the batch's first customer in this run
    size: int
    rows: dict[str, list] = field(default_factory=dict)


class DemoStep:
    order = 50

    def __init__(self, run: DemoRun):
        self.run = run

    def loaded_already(self) -> str:
        """With --if-empty: why nothing should be loaded ("Customers exist already"), or ""."""
        return ""

    def prepare(self) -> None:
        pass

    def batch(self, batch: DemoBatch) -> None:
        pass

    def finish(self) -> None:
        pass

    def summary_total(self) -> str:
        """This step's part of the summary's first half ("737 interactions"), or ""."""
        return ""

    def summary_added(self) -> str:
        """This step's part of the summary's second half, what the run added ("2 action plans"), or ""."""
        return ""


class DemoSteps:
    def __init__(self):
        self._classes: dict[str, type[DemoStep]] = {}

    def register(self, step_class: type[DemoStep]) -> type[DemoStep]:
        # Keyed by name so that importing a demo module twice does not add its step twice.
        self._classes[f"{step_class.__module__}.{step_class.__qualname__}"] = step_class
        return step_class

    def for_run(self, run: DemoRun) -> list[DemoStep]:
        ordered = sorted(self._classes.items(), key=lambda item: (item[1].order, item[0]))
        return [step_class(run) for _name, step_class in ordered]


demo_steps = DemoSteps()
