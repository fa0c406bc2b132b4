"""With CI=true a missing real part fails the run; on a developer's machine it skips the test."""

import pytest

from tests.services import missing_part


def test_under_ci_a_missing_part_fails(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and Redis is not running"):
        missing_part("Redis is not running")


def test_elsewhere_a_missing_part_skips(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Redis is not running"):
        missing_part("Redis is not running")
