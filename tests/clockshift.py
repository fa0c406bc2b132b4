"""pytest plugin: ``--shift-clock=DAYS`` runs the whole session with the clock moved DAYS days (negative: back).

A test that mixes a fixed date with a date taken from the real clock passes today and fails on the day the two cross.
Moving the clock about a year ahead in CI makes such a test fail now, not on that day. The clock keeps ticking, so
timeouts and "how long ago" arithmetic behave as usual; a test that freezes time itself (``time_machine.travel``)
still gets exactly the moment it asks for.
"""

import datetime

import pytest
import time_machine

_TRAVELLER = pytest.StashKey[time_machine.travel]()


def pytest_addoption(parser):
    parser.addoption(
        "--shift-clock", type=int, default=0, metavar="DAYS",
        help="run every test with the clock moved DAYS days from now (negative: back)",
    )


def pytest_configure(config):
    days = config.getoption("shift_clock")
    if not days:
        return
    shifted = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)
    traveller = time_machine.travel(shifted, tick=True)
    traveller.start()
    config.stash[_TRAVELLER] = traveller


def pytest_unconfigure(config):
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    if config.getoption("shift_clock"):
        return f"clock shifted {config.getoption('shift_clock'):+d} days: today is {datetime.date.today().isoformat()}"
    return None
