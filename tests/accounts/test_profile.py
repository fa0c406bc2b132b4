"""The profile page: name, email and the time zone every date and time is shown in."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory, InteractionFactory

PROFILE = reverse("accounts:profile")


def profile_data(**overrides):
    data = {
        "first_name": "Will",
        "last_name": "Worker",
        "email": "will@example.com",
        "time_zone": "UTC",
        # The reminders app's preferences share the page.
        "reminders_enabled": "on",
        "reminder_hour": "8",
        "digest_enabled": "on",
        "digest_weekday": "0",
        "digest_hour": "7",
    }
    data.update(overrides)
    return data


def test_the_profile_page_shows_the_current_settings(worker_client):
    html = worker_client.get(PROFILE).content.decode()

    assert 'value="Will"' in html
    assert '<option value="UTC" selected>' in html


def test_saving_the_time_zone(worker_client, worker):
    response = worker_client.post(PROFILE, profile_data(time_zone="Pacific/Auckland"), follow=True)

    worker.refresh_from_db()
    assert worker.time_zone == "Pacific/Auckland"
    assert "Your settings are saved." in response.content.decode()


def test_an_unknown_time_zone_is_rejected_beside_the_field(worker_client, worker):
    response = worker_client.post(PROFILE, profile_data(time_zone="Mars/Olympus", first_name="Willy"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_time_zone"' in html
    assert 'value="Willy"' in html
    worker.refresh_from_db()
    assert (worker.time_zone, worker.first_name) == ("UTC", "Will")


def test_a_bad_email_is_rejected_beside_the_field(worker_client, worker):
    response = worker_client.post(PROFILE, profile_data(email="nope"))

    assert 'id="error_1_id_email"' in response.content.decode()


def test_pages_show_times_in_the_zone_just_saved(worker_client, worker):
    mia = CustomerFactory()
    InteractionFactory(customer=mia, occurred_at=datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC))
    worker_client.post(PROFILE, profile_data(time_zone="America/New_York"))

    html = worker_client.get(reverse("customers:detail", args=[mia.pk])).content.decode()

    # 23:30 UTC is 19:30 in New York in July (EDT, UTC-4).
    assert "Wed 1 Jul 2026, 19:30" in html


def test_a_stored_zone_that_no_longer_exists_falls_back_to_utc(client, worker):
    # A zone removed from the tz database must not break every page.
    type(worker).objects.filter(pk=worker.pk).update(time_zone="Gone/Away")
    client.force_login(worker)
    mia = CustomerFactory()
    InteractionFactory(customer=mia, occurred_at=datetime.datetime(2026, 1, 15, 20, 0, tzinfo=datetime.UTC))

    response = client.get(reverse("customers:detail", args=[mia.pk]))

    assert response.status_code == 200
    assert "Thu 15 Jan 2026, 20:00" in response.content.decode()


def test_the_zone_does_not_leak_to_the_next_request(client, worker, owner):
    worker.time_zone = "Pacific/Auckland"
    worker.save(update_fields=["time_zone"])
    client.force_login(worker)
    client.get(PROFILE)
    client.logout()

    client.get(reverse("login"))

    assert timezone.get_current_timezone_name() == "UTC"
