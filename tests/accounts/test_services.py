"""accounts.services: the only writer of users."""

import pytest

from accounts.models import FIELD_WORKER_GROUP, OWNER_GROUP, User
from accounts.services import field_worker_create, owner_create, user_password_change, user_profile_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_owner_create_promotes_an_existing_user_and_keeps_their_email():
    # Given a field worker called mia
    UserFactory(username="mia", email="mia@example.com", role="field_worker")

    # When she is made the owner
    user, password = owner_create(username="mia")

    # Then she is staff, superuser and in the Owner group, with the generated password
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser and user.is_owner
    assert user.email == "mia@example.com"
    assert user.check_password(password) and len(password) >= 12
    assert user.groups.filter(name=OWNER_GROUP).exists()


def test_field_worker_create_gives_no_admin_rights():
    user, password = field_worker_create(username="sam", first_name="Sam", email="sam@example.com")

    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [FIELD_WORKER_GROUP]
    assert not (user.is_staff or user.is_superuser or user.is_owner)
    assert user.check_password(password)


def test_user_profile_update_saves_what_changed_even_when_the_instance_already_holds_it():
    # A ModelForm copies the posted values onto the instance before the view calls the service.
    user = UserFactory(time_zone="UTC")
    user.time_zone = "Europe/Paris"

    user_profile_update(user=user, data={"time_zone": "Europe/Paris", "digest_hour": 9})

    stored = User.objects.get(pk=user.pk)
    assert (stored.time_zone, stored.digest_hour) == ("Europe/Paris", 9)


def test_user_profile_update_refuses_what_the_profile_may_not_change():
    user = UserFactory()

    with pytest.raises(ValueError):
        user_profile_update(user=user, data={"is_superuser": True})

    assert not User.objects.get(pk=user.pk).is_superuser


def test_user_password_change_stores_only_the_new_password():
    user = UserFactory()

    user_password_change(user=user, password="a-long-new-secret-9")

    stored = User.objects.get(pk=user.pk)
    assert stored.check_password("a-long-new-secret-9") and not stored.check_password("pw")
