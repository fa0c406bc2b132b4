"""export_backup for a scheduled job, import_backup into an empty database, with the set-password links."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.backup.conftest import MOMENT, empty_the_database, manifest_of

pytestmark = pytest.mark.clock(MOMENT)


def test_export_backup_writes_the_backup_to_the_path(world, tmp_path, capsys):
    path = tmp_path / "servicecrm.zip"

    call_command("export_backup", str(path))

    assert manifest_of(path.read_bytes())["models"]["customers.customer"]["count"] == 4
    assert list(tmp_path.iterdir()) == [path]  # no half-written file left beside it
    assert f"Wrote {path}" in capsys.readouterr().out


def test_export_backup_says_when_it_cannot_write(db, tmp_path):
    with pytest.raises(CommandError, match="Could not write"):
        call_command("export_backup", str(tmp_path / "no-such-folder" / "servicecrm.zip"))


def test_import_backup_refuses_a_database_with_data(world, tmp_path):
    path = tmp_path / "servicecrm.zip"
    call_command("export_backup", str(path))

    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_backup", str(path))


def test_import_backup_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="cannot be opened"):
        call_command("import_backup", str(tmp_path / "nothing.zip"))


def test_import_backup_prints_a_working_set_password_link_for_each_active_user(world, tmp_path, capsys, settings):
    settings.SITE_URL = "https://crm.example.com"
    path = tmp_path / "servicecrm.zip"
    call_command("export_backup", str(path))
    empty_the_database()

    call_command("import_backup", str(path))

    out = capsys.readouterr().out
    links = dict(re.findall(r"^  (\w+): (https://crm\.example\.com/password/reset/\S+)$", out, re.MULTILINE))
    assert sorted(links) == ["hal", "olivia", "will"]  # not the inactive user
    # The link opens the form where the user chooses their password.
    response = Client().get(urlsplit(links["will"]).path)
    assert response.status_code == 302
    assert response["Location"].endswith("/set-password/")


def test_import_backup_emails_the_links_with_email(world, tmp_path, mailoutbox):
    path = tmp_path / "servicecrm.zip"
    call_command("export_backup", str(path))
    empty_the_database()

    call_command("import_backup", str(path), "--email")

    assert sorted(message.to[0] for message in mailoutbox) == ["olivia@example.com", "will@example.com"]
    (message,) = [message for message in mailoutbox if message.to == ["will@example.com"]]
    assert message.subject == "Choose your password for Núñez Gardens"
    assert "/password/reset/" in message.body
