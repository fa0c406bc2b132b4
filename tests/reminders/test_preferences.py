"""The profile page sets when the emails come, or turns them off."""

from tests.accounts.test_profile import PROFILE, profile_data


def test_it_shows_the_email_preferences(owner_client):
    page = owner_client.get(PROFILE).content.decode()

    assert "Daily reminder at" in page and "Weekly email at" in page and "weekly email day" in page.lower()
    assert '<option value="8" selected>08:00</option>' in page


def test_it_saves_the_time_zone_hours_and_weekday(owner_client, owner):
    data = profile_data(time_zone="Pacific/Auckland", reminder_hour="6", digest_weekday="4", digest_hour="17")

    response = owner_client.post(PROFILE, data)

    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.time_zone, owner.reminder_hour, owner.digest_weekday, owner.digest_hour) == (
        "Pacific/Auckland", 6, 4, 17
    )


def test_it_turns_either_email_off(owner_client, owner):
    data = profile_data()
    del data["reminders_enabled"], data["digest_enabled"]  # unticked boxes are not posted

    owner_client.post(PROFILE, data)

    owner.refresh_from_db()
    assert (owner.reminders_enabled, owner.digest_enabled) == (False, False)


def test_an_impossible_hour_is_refused_beside_the_field_and_the_rest_is_kept(owner_client, owner):
    response = owner_client.post(PROFILE, profile_data(reminder_hour="24", first_name="Olive"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_reminder_hour"' in page
    assert "Select a valid choice. 24 is not one of the available choices." in page
    assert 'value="Olive"' in page
    owner.refresh_from_db()
    assert owner.reminder_hour == 8
