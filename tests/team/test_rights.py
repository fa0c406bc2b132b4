"""The team pages are the owner's alone: a field worker gets 403 on every one, a stranger the login page."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# (method, URL name, needs a person's id)
TEAM_URLS = [
    ("get", "team:list", False),
    ("get", "team:invite", False),
    ("post", "team:invite", False),
    ("post", "team:invite_again", True),
    ("get", "team:deactivate", True),
    ("post", "team:deactivate", True),
    ("post", "team:reactivate", True),
    ("post", "team:lockout_lift", False),
]


def _url(name, needs_id, person):
    return reverse(name, args=[person.pk]) if needs_id else reverse(name)


def test_every_team_url_is_in_the_table():
    from team.urls import urlpatterns

    assert {f"team:{p.name}" for p in urlpatterns} == {name for _, name, _ in TEAM_URLS}


@pytest.mark.parametrize(("method", "name", "needs_id"), TEAM_URLS)
def test_a_field_worker_gets_403_and_changes_nothing(worker_client, method, name, needs_id):
    colleague = UserFactory(first_name="Cora", role="field_worker")

    response = getattr(worker_client, method)(
        _url(name, needs_id, colleague), {"successor": colleague.pk, "email": "new@example.com", "first_name": "N",
                                          "group_name": "Field worker"} if method == "post" else None,
    )

    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


@pytest.mark.parametrize(("method", "name", "needs_id"), TEAM_URLS)
def test_a_stranger_is_sent_to_the_login_page(client, method, name, needs_id):
    colleague = UserFactory(role="field_worker")

    response = getattr(client, method)(_url(name, needs_id, colleague))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_only_the_owner_sees_the_team_link(owner, worker, client):
    team = f'href="{reverse("team:list")}"'
    client.force_login(worker)
    assert team not in client.get(reverse("today")).content.decode()
    client.force_login(owner)
    assert team in client.get(reverse("today")).content.decode()


def test_the_owner_opens_the_team_page(owner_client):
    assert owner_client.get(reverse("team:list")).status_code == 200
