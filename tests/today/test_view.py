import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.registries import today_sections
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, UserFactory

NOW = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def test_it_requires_login(client):
    response = client.get(reverse("today"))

    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/"


def test_it_shows_my_followups_by_when_they_are_due_each_linking_to_the_customer(worker_client, worker):
    late = FollowUpFactory(assigned_to=worker, due_date=TODAY - datetime.timedelta(days=3), description="Chase invoice",
                           customer=CustomerFactory(name="Late Larry"))
    due = FollowUpFactory(assigned_to=worker, due_date=TODAY, description="Confirm Friday",
                          customer=CustomerFactory(name="Due Dora"))
    soon = FollowUpFactory(assigned_to=worker, due_date=TODAY + datetime.timedelta(days=4), description="Send leaflet",
                           customer=CustomerFactory(name="Soon Sam"))
    FollowUpFactory(assigned_to=worker, due_date=TODAY + datetime.timedelta(days=7), description="Far future")
    FollowUpFactory(assigned_to=UserFactory(), due_date=TODAY, description="Someone else's")

    with time_machine.travel(NOW, tick=False):
        response = worker_client.get(reverse("today"))

    html = response.content.decode()
    overdue = html[html.index('id="overdue-h"'):html.index('id="today-h"')]
    due_today = html[html.index('id="today-h"'):html.index('id="week-h"')]
    this_week = html[html.index('id="week-h"'):html.index('id="recent-h"')]
    assert "Chase invoice" in overdue and "Late Larry" in overdue
    assert f'href="{late.customer.get_absolute_url()}"' in overdue
    assert "Confirm Friday" in due_today and f'href="{due.customer.get_absolute_url()}"' in due_today
    assert "Send leaflet" in this_week and f'href="{soon.customer.get_absolute_url()}"' in this_week
    assert "Far future" not in html
    assert "Someone else's" not in html
    assert "Today, Tuesday 10 March" in html


def test_it_shows_recent_interactions_linking_to_the_customer(worker_client):
    interaction = InteractionFactory(customer=CustomerFactory(name="Recent Rita"), asked_for="New gate latch")

    html = worker_client.get(reverse("today")).content.decode()

    recent = html[html.index('id="recent-h"'):]
    assert "Recent Rita" in recent
    assert "New gate latch" in recent
    assert f'href="{interaction.customer.get_absolute_url()}"' in recent


def test_it_says_so_when_there_is_nothing(worker_client):
    html = worker_client.get(reverse("today")).content.decode()

    assert "Nothing overdue." in html
    assert "Nothing due today." in html
    assert "No interactions logged yet." in html


def test_the_followup_buttons_come_back_to_today(worker_client, worker):
    followup = FollowUpFactory(assigned_to=worker, due_date=TODAY)

    with time_machine.travel(NOW, tick=False):
        html = worker_client.get(reverse("today")).content.decode()

    assert f'{reverse("followups:done", args=[followup.pk])}?next=/"' in html
    assert f'{reverse("followups:try_again", args=[followup.pk])}?next=/"' in html


def test_today_is_the_users_own_day(client):
    aroha = UserFactory(username="aroha", time_zone="Pacific/Auckland")
    FollowUpFactory(assigned_to=aroha, due_date=datetime.date(2026, 3, 11), description="Due on the 11th")
    client.force_login(aroha)

    with time_machine.travel(datetime.datetime(2026, 3, 10, 11, 30, tzinfo=datetime.UTC), tick=False):
        html = client.get(reverse("today")).content.decode()

    assert "Today, Wednesday 11 March" in html
    due_today = html[html.index('id="today-h"'):html.index('id="week-h"')]
    assert "Due on the 11th" in due_today


def _make_rows(user, n):
    for i in range(n):
        customer = CustomerFactory()
        # Spread over overdue, today and this week.
        FollowUpFactory(assigned_to=user, customer=customer, due_date=TODAY + datetime.timedelta(days=(i % 9) - 2),
                        attempts=1 + i % 3)
        InteractionFactory(customer=customer, user=user if i % 2 else UserFactory(),
                           occurred_at=NOW - datetime.timedelta(hours=i))


def _count_today_queries(client):
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("today"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_rows(worker_client, worker):
    _make_rows(worker, 2)
    small = _count_today_queries(worker_client)

    _make_rows(worker, 18)
    large = _count_today_queries(worker_client)

    assert small == large


# Today's own queries, besides the sections other apps register:
#   1. the session
#   2. the user
#   3. is the user an owner (group lookup, cached on the user; the context processor asks)
#   4. how many of my open follow-ups are overdue, due today, due this week
#   5. my oldest overdue follow-ups (at most 50), with their customers
#   6. my follow-ups due from today to six days on (at most 100), with their customers
#   7. the ten most recent interactions, with customer and who logged them
TODAY_OWN_QUERIES = 7


def _section_queries(user):
    """The queries the registered today sections run (other apps add them; each must be constant)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
        today_sections.render_list(user=user, today=TODAY, request=request)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_query_count_is_pinned(worker_client, worker, rows, django_assert_num_queries):
    _make_rows(worker, rows)
    worker.is_owner  # noqa: B018 - warm the cache as the page would, so the sections' count is their own
    sections = _section_queries(worker)

    with time_machine.travel(NOW, tick=False), django_assert_num_queries(TODAY_OWN_QUERIES + sections):
        response = worker_client.get(reverse("today"))

    assert len(response.context["agenda"].recent) == min(rows, 10)


def test_a_long_overdue_list_is_cut_and_says_how_many_there_are(worker_client, worker):
    from today.selectors import TODAY_LIST_LIMIT

    customer = CustomerFactory()
    for days in range(1, TODAY_LIST_LIMIT + 6):
        FollowUpFactory(assigned_to=worker, customer=customer, due_date=TODAY - datetime.timedelta(days=days))

    with time_machine.travel(NOW, tick=False):
        response = worker_client.get(reverse("today"))

    agenda = response.context["agenda"]
    assert len(agenda.overdue) == TODAY_LIST_LIMIT
    assert agenda.overdue[0].due_date == TODAY - datetime.timedelta(days=TODAY_LIST_LIMIT + 5)  # the oldest first
    assert f"Showing the first {TODAY_LIST_LIMIT} of {TODAY_LIST_LIMIT + 5} overdue." in response.content.decode()


def test_the_users_time_zone_does_not_outlive_their_request(client):
    from django.utils import timezone

    client.force_login(UserFactory(username="aroha", time_zone="Pacific/Auckland"))

    client.get(reverse("today"))

    assert timezone.get_current_timezone_name() == timezone.get_default_timezone_name()


def test_a_user_without_an_email_address_is_told_how_to_get_reminders(client):
    client.force_login(UserFactory(username="noemail", email=""))

    response = client.get(reverse("today"))

    assert "Add your email address" in response.content.decode()
    assert reverse("accounts:profile") in response.content.decode()


def test_a_user_with_an_email_address_is_not_nagged(worker_client):
    response = worker_client.get(reverse("today"))

    assert "Add your email address" not in response.content.decode()
