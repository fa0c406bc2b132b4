"""Sign-in lockouts on the team page: who is locked out, from where, until when; lifting one."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _attempt(username, ip, failures, minutes_ago=1, agent="phone"):
    attempt = AccessAttempt.objects.create(
        username=username, ip_address=ip, user_agent=agent, failures_since_start=failures,
        get_data="", post_data="", http_accept="", path_info="/login/",
    )
    # attempt_time is auto_now_add: set afterwards.
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def _wrong_passwords(client, username, times):
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong"})


@pytest.mark.clock(NOW)
def test_the_page_lists_current_lockouts_only(owner_client, settings):
    settings.AXES_FAILURE_LIMIT = 10
    _attempt("will", "203.0.113.7", 10, minutes_ago=3)
    _attempt("sam", "203.0.113.8", 6, agent="phone")  # two browsers of one pair add up
    _attempt("sam", "203.0.113.8", 4, agent="laptop", minutes_ago=2)
    _attempt("ann", "203.0.113.9", 9)  # below the limit
    _attempt("old", "203.0.113.10", 12, minutes_ago=settings.AXES_COOLOFF_MINUTES + 1)  # over

    lockouts = owner_client.get(reverse("team:list")).context["lockouts"]

    assert [(lock.username, lock.ip_address, lock.failures) for lock in lockouts] == [
        ("sam", "203.0.113.8", 10), ("will", "203.0.113.7", 10),
    ]
    assert lockouts[1].last_failure == NOW - datetime.timedelta(minutes=3)
    assert lockouts[1].until == NOW - datetime.timedelta(minutes=3) + settings.AXES_COOLOFF_TIME


@pytest.mark.clock(NOW)
def test_the_page_shows_since_and_until(owner_client, settings):
    _attempt("will", "203.0.113.7", settings.AXES_FAILURE_LIMIT, minutes_ago=3)

    page = owner_client.get(reverse("team:list")).content.decode()

    assert "will" in page and "from 203.0.113.7" in page
    assert "the last at 2 Mar, 08:57" in page
    assert f"locked until {(NOW + settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=3)):%H:%M}" in page


def test_nobody_locked_out_says_so(owner_client):
    assert "Nobody is locked out." in owner_client.get(reverse("team:list")).content.decode()


def test_lifting_a_lockout_lets_the_person_sign_in_again(owner, worker, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _wrong_passwords(client, "will", 3)
    client.post(reverse("login"), {"username": "will", "password": "pw"})
    assert "_auth_user_id" not in client.session  # locked: even the right password is refused
    client.force_login(owner)
    assert [lock.username for lock in client.get(reverse("team:list")).context["lockouts"]] == ["will"]

    response = client.post(reverse("team:lockout_lift"), {"username": "will", "ip_address": "127.0.0.1"}, follow=True)

    assert "Lifted: will can sign in again from 127.0.0.1." in response.content.decode()
    assert response.context["lockouts"] == []
    client.logout()
    client.post(reverse("login"), {"username": "will", "password": "pw"})
    assert client.session["_auth_user_id"] == str(worker.pk)


def test_lifting_one_lockout_leaves_the_others(owner_client, settings):
    _attempt("will", "203.0.113.7", settings.AXES_FAILURE_LIMIT)
    _attempt("will", "198.51.100.1", settings.AXES_FAILURE_LIMIT)
    _attempt("sam", "203.0.113.7", settings.AXES_FAILURE_LIMIT)

    owner_client.post(reverse("team:lockout_lift"), {"username": "will", "ip_address": "203.0.113.7"})

    assert set(AccessAttempt.objects.values_list("username", "ip_address")) == {
        ("will", "198.51.100.1"), ("sam", "203.0.113.7"),
    }


def test_a_lockout_already_ended_or_a_bad_address_gets_a_clear_answer(owner_client):
    ended = owner_client.post(reverse("team:lockout_lift"), {"username": "x", "ip_address": "203.0.113.7"}, follow=True)
    bad = owner_client.post(reverse("team:lockout_lift"), {"username": "x", "ip_address": "not an address"}, follow=True)

    assert "That lockout had already ended." in ended.content.decode()
    assert "could not be found" in bad.content.decode()
