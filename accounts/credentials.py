"""The box a management command prints once when it creates an account with a password."""

from django.conf import settings
from django.urls import reverse

RULE = "=" * 64


def login_url() -> str:
    return settings.SITE_URL + reverse("login")


def credentials_box(*, title: str, username: str, password: str, note: str) -> str:
    """`note` ("Shown only this once.") is left out when empty: a password the user chose is not echoed."""
    return (
        f"\n{RULE}\n  {title}\n    Log in at: {login_url()}\n    Username:  {username}\n    Password:  {password}\n"
        + (f"  {note}\n" if note else "")
        + f"{RULE}\n"
    )
