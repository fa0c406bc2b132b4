"""Adding a person by email: no password read out, a link to choose their own."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.models import FIELD_WORKER_GROUP, OWNER_GROUP
from team.tasks import invite_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<>]+/password/reset/[^\s\"<>]+/")


def _invite(client, **fields):
    data = {"first_name": "Nina", "last_name": "New", "email": "nina@example.com", "group_name": FIELD_WORKER_GROUP}
    return client.post(reverse("team:invite"), {**data, **fields}, follow=True)


def test_the_new_person_has_no_password_and_the_email_waits_for_the_commit(
    owner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _invite(owner_client)

    nina = get_user_model().objects.get(email="nina@example.com")
    assert nina.get_full_name() == "Nina New"
    assert nina.username == "nina@example.com"
    assert not nina.has_usable_password()
    assert nina.is_active and not nina.is_staff and not nina.is_owner
    assert list(nina.groups.values_list("name", flat=True)) == [FIELD_WORKER_GROUP]
    assert len(callbacks) == 1
    assert "Nina New is on the team" in response.content.decode()
    assert "nina@example.com" in response.content.decode()


def test_an_owner_can_be_added_too(owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        _invite(owner_client, email="pat@example.com", group_name=OWNER_GROUP)

    pat = get_user_model().objects.get(email="pat@example.com")
    assert pat.is_owner and pat.is_staff


def test_the_new_person_works_in_the_owners_time_zone(owner, owner_client, django_capture_on_commit_callbacks):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])

    with django_capture_on_commit_callbacks():
        _invite(owner_client)

    assert get_user_model().objects.get(email="nina@example.com").time_zone == "Europe/Paris"


def test_an_address_already_used_is_refused_beside_the_field_keeping_what_was_typed(
    owner_client, django_capture_on_commit_callbacks
):
    UserFactory(email="Nina@Example.com")

    with django_capture_on_commit_callbacks() as callbacks:
        response = _invite(owner_client, first_name="Nina Typed", email="nina@example.COM")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone on the team already uses this address." in page
    assert response.context["form"].errors["email"] == ["Someone on the team already uses this address."]
    assert 'value="Nina Typed"' in page
    assert 'value="nina@example.COM"' in page
    assert get_user_model().objects.filter(email__iexact="nina@example.com").count() == 1
    assert callbacks == []


def test_a_sign_in_name_already_taken_gets_a_number(owner_client, django_capture_on_commit_callbacks):
    UserFactory(username="nina@example.com", email="other@example.com")

    with django_capture_on_commit_callbacks():
        _invite(owner_client)

    assert get_user_model().objects.get(email="nina@example.com").username == "nina@example.com2"


def test_the_invitation_through_a_real_smtp_server_carries_a_link_that_sets_the_password(
    owner_client, client, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        _invite(owner_client)
    nina = get_user_model().objects.get(email="nina@example.com")
    owner_client.logout()

    assert invite_send(nina.pk, None) is True

    assert len(smtp_inbox) == 1
    message = smtp_inbox[0]
    assert message["To"] == "nina@example.com"
    assert "choose your password" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "nina@example.com" in text  # the name to sign in with
    link = LINK.search(text).group(0)
    assert link in html
    # Django's confirm view swaps the token for a session and redirects to the form.
    form_page = client.get(urlsplit(link).path, follow=True)
    assert form_page.status_code == 200
    set_password = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else urlsplit(link).path,
        {"new_password1": "a-long-Secret-42", "new_password2": "a-long-Secret-42"},
    )
    assert set_password.status_code == 302
    nina.refresh_from_db()
    assert nina.check_password("a-long-Secret-42")
    signed_in = client.post(reverse("login"), {"username": "nina@example.com", "password": "a-long-Secret-42"})
    assert signed_in.status_code == 302
    assert client.get(reverse("today")).context["user"] == nina
    # The link worked once: the new password has changed the token.
    assert client.get(urlsplit(link).path, follow=True).context.get("validlink") is False


def test_the_invitation_names_who_added_them(owner, smtp_inbox):
    nina = UserFactory(first_name="Nina", email="nina@example.com", password=None)
    nina.set_unusable_password()
    nina.save()

    invite_send(nina.pk, owner.pk)

    assert "Olivia Owner has added you" in smtp_inbox[0].get_body(("plain",)).get_content()


def test_no_invitation_goes_to_someone_who_chose_a_password_or_left(worker):
    leaver = UserFactory(is_active=False)
    leaver.set_unusable_password()
    leaver.save()

    assert invite_send(worker.pk) is False
    assert invite_send(leaver.pk) is False
    assert invite_send(leaver.pk + 1000) is False
    assert mail.outbox == []


def test_the_link_can_be_sent_again_until_they_choose_a_password(owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _invite(owner_client)
    nina = get_user_model().objects.get(email="nina@example.com")
    assert "Send the link again" in owner_client.get(reverse("team:list")).content.decode()

    with django_capture_on_commit_callbacks() as callbacks:
        response = owner_client.post(reverse("team:invite_again", args=[nina.pk]), follow=True)

    assert len(callbacks) == 1
    assert "A new link is on its way to nina@example.com" in response.content.decode()


def test_the_link_is_not_sent_again_once_they_have_a_password(owner_client, worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = owner_client.post(reverse("team:invite_again", args=[worker.pk]), follow=True)

    assert callbacks == []
    assert "has already chosen a password" in response.content.decode()
