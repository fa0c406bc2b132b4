"""Production settings: pass `check --deploy` with no warnings, and refuse to start without their secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def manage(*args, tmp_path, **env_vars):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="servicecrm.settings.production", **env_vars)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def production_env(tmp_path, **overrides):
    env = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)[:50],
        "DJANGO_ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    # Given production settings with the required variables
    # When Django's deployment checklist runs, failing on any warning
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **production_env(tmp_path))

    # Then it passes with no issue at all
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(tmp_path, missing):
    # Given production settings with one required variable missing
    env = production_env(tmp_path, **{missing: None})

    # When anything starts Django
    result = manage("check", tmp_path=tmp_path, **env)

    # Then it stops and names the variable
    assert result.returncode != 0
    assert f"{missing} must be set in the environment" in result.stderr
