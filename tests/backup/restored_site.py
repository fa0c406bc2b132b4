"""Run by test_postgres_restore.py in a process of its own, on the restored database (DATABASE_URL): prints, as
JSON, what the test compares with the database the backup came from.

    python -m tests.backup.restored_site MOMENT USERNAME PK,PK,...
"""

import json
import os
import re
import sys

# The only part of a page that differs between two identical databases: the form's anti-forgery token.
CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def card_html(client, pk: int) -> str:
    """The customer's card as the signed-in user sees it, without its CSRF tokens."""
    response = client.get(f"/customers/{pk}/")
    assert response.status_code == 200, response.status_code
    return CSRF_TOKEN.sub(r"\1", response.content.decode())


def main(moment: str, username: str, pks: list[int]) -> dict:
    import django

    django.setup()
    import time_machine
    from django.contrib.auth import get_user_model
    from django.test import Client

    from backup import scope
    from customers.services import customer_create

    counts = {scope.label(model): model._base_manager.count() for model in scope.restored_models()}
    users = get_user_model()._base_manager.order_by("pk")
    with time_machine.travel(moment, tick=False):
        client = Client()
        client.force_login(users.get(username=username))
        cards = {str(pk): card_html(client, pk) for pk in pks}
    return {
        "counts": counts,
        "cards": cards,
        "usable_passwords": [user.username for user in users if user.has_usable_password()],
        "new_customer_id": customer_create(name="After the restore").pk,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecrm.settings.test")
    print(json.dumps(main(sys.argv[1], sys.argv[2], [int(pk) for pk in sys.argv[3].split(",")])))
