"""The --shift-clock option moves the clock for a whole run, so a test tied to the calendar fails today."""

import datetime
from pathlib import Path

import pytest
from time_machine import escape_hatch

pytest_plugins = ["pytester"]

# A fixed date a month from the real today, written into the test as a literal the way a careless test would.
CALENDAR_BOUND_TEST = """
import datetime

FIXED_END = datetime.date.fromisoformat("{fixed_end}")

def test_the_end_is_still_ahead():
    assert datetime.date.today() < FIXED_END
"""


def _real_today() -> datetime.date:
    """Today by the real clock: the run that holds these tests may itself be shifted (make test-shifted)."""
    if escape_hatch.is_travelling():
        return escape_hatch.datetime.datetime.now().date()
    return datetime.date.today()


@pytest.fixture
def run(pytester, monkeypatch):
    fixed_end = _real_today() + datetime.timedelta(days=30)
    pytester.makepyfile(test_calendar=CALENDAR_BOUND_TEST.format(fixed_end=fixed_end.isoformat()))
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))

    def run(*args):
        return pytester.runpytest_subprocess("-p", "tests.clockshift", "-p", "no:django", "-p", "no:cacheprovider",
                                             "-o", "addopts=", *args)
    return run


def test_without_the_option_the_clock_is_the_real_one(run):
    result = run()
    result.assert_outcomes(passed=1)


def test_a_year_ahead_a_test_with_a_fixed_end_date_fails(run):
    result = run("--shift-clock=365")
    result.assert_outcomes(failed=1)
    shifted = (_real_today() + datetime.timedelta(days=365)).isoformat()
    result.stdout.fnmatch_lines([f"clock shifted +365 days: today is {shifted}"])


def test_the_clock_can_go_back_too(run):
    result = run("--shift-clock=-365")
    result.assert_outcomes(passed=1)
    shifted = (_real_today() - datetime.timedelta(days=365)).isoformat()
    result.stdout.fnmatch_lines([f"clock shifted -365 days: today is {shifted}"])
