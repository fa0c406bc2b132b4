"""manage.py ensure_owner: the first owner account, created once, never prompting."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import OWNER_GROUP, User
from tests.factories import UserFactory


def run_ensure_owner() -> str:
    out = StringIO()
    call_command("ensure_owner", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def no_superuser_variables(monkeypatch):
    for name in ("DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_EMAIL", "DJANGO_SUPERUSER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.django_db
def test_it_creates_an_owner_and_prints_the_generated_password_once():
    # Given an empty database
    # When the command runs
    output = run_ensure_owner()

    # Then an owner exists whose printed password logs in
    user = User.objects.get()
    assert user.username == "owner"
    password = output.split("Password:")[1].split()[0]
    assert len(password) >= 12
    assert user.check_password(password)
    assert "http://127.0.0.1:8000/login/" in output


@pytest.mark.django_db
def test_the_owner_is_staff_superuser_and_in_the_owner_group():
    # Given an empty database, when the command runs
    run_ensure_owner()

    # Then the new user has every owner right
    user = User.objects.get()
    assert user.is_staff and user.is_superuser and user.is_active
    assert list(user.groups.values_list("name", flat=True)) == [OWNER_GROUP]
    assert user.is_owner


@pytest.mark.django_db
def test_it_takes_the_login_from_the_environment(monkeypatch):
    # Given the DJANGO_SUPERUSER_* variables
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "maria")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "maria@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-chosen-passphrase")

    # When the command runs
    output = run_ensure_owner()

    # Then the owner has that login, and the chosen password is not echoed
    user = User.objects.get()
    assert (user.username, user.email) == ("maria", "maria@example.com")
    assert user.check_password("a-long-chosen-passphrase")
    assert "a-long-chosen-passphrase" not in output
    assert user.groups.filter(name=OWNER_GROUP).exists()


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    # Given an owner created by a first run
    run_ensure_owner()
    before = User.objects.get()

    # When it runs again
    output = run_ensure_owner()

    # Then it says so and keeps the same single account and password
    after = User.objects.get()
    assert "An owner account exists (owner)" in output
    assert "Password:" not in output
    assert after.password == before.password


@pytest.mark.django_db
def test_an_owner_in_the_group_counts_even_when_not_superuser(owner):
    # Given an owner made through the group only (the shared persona)
    # When the command runs
    output = run_ensure_owner()

    # Then no second account is created
    assert "An owner account exists (olivia)" in output
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_field_worker_alone_does_not_count_as_an_owner(worker):
    # Given only a field worker
    # When the command runs
    run_ensure_owner()

    # Then an owner is created beside them
    assert set(User.objects.values_list("username", flat=True)) == {"will", "owner"}


@pytest.mark.django_db
def test_a_superuser_counts_as_an_owner():
    # Given a superuser made with createsuperuser (no group)
    UserFactory(username="root", is_superuser=True, is_staff=True)

    # When the command runs
    output = run_ensure_owner()

    # Then nothing is created
    assert "An owner account exists (root)" in output
    assert User.objects.count() == 1
