import datetime

import pytest
import time_machine

from tests.factories import FollowUpFactory, InteractionFactory, UserFactory
from today.selectors import today_agenda

pytestmark = pytest.mark.django_db

# 11:30 in London is already 00:30 on 11 March in Auckland (UTC+13 in March).
NOW = datetime.datetime(2026, 3, 10, 11, 30, tzinfo=datetime.UTC)
MAR = {day: datetime.date(2026, 3, day) for day in range(1, 32)}


@pytest.fixture
def utc_user():
    return UserFactory(username="ursula", time_zone="UTC")


@pytest.fixture
def auckland_user():
    return UserFactory(username="aroha", time_zone="Pacific/Auckland")


def descriptions(followups):
    return [f.description for f in followups]


def test_it_splits_overdue_due_today_and_the_next_six_days(utc_user):
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[1], description="long overdue")
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[9], description="overdue")
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[10], description="today")
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[11], description="tomorrow")
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[16], description="in six days")
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[17], description="in seven days")

    with time_machine.travel(NOW, tick=False):
        agenda = today_agenda(user=utc_user)

    assert agenda.today == MAR[10]
    assert descriptions(agenda.overdue) == ["long overdue", "overdue"]
    assert descriptions(agenda.due_today) == ["today"]
    assert descriptions(agenda.this_week) == ["tomorrow", "in six days"]


def test_today_is_the_users_own_day_not_the_servers(utc_user, auckland_user):
    for user in (utc_user, auckland_user):
        FollowUpFactory(assigned_to=user, due_date=MAR[10], description="due 10 March")
        FollowUpFactory(assigned_to=user, due_date=MAR[11], description="due 11 March")
        FollowUpFactory(assigned_to=user, due_date=MAR[17], description="due 17 March")

    with time_machine.travel(NOW, tick=False):
        in_auckland = today_agenda(user=auckland_user)
        in_utc = today_agenda(user=utc_user)

    assert in_auckland.today == MAR[11]
    assert descriptions(in_auckland.overdue) == ["due 10 March"]
    assert descriptions(in_auckland.due_today) == ["due 11 March"]
    assert descriptions(in_auckland.this_week) == ["due 17 March"]
    assert in_utc.today == MAR[10]
    assert descriptions(in_utc.overdue) == []
    assert descriptions(in_utc.due_today) == ["due 10 March"]
    assert descriptions(in_utc.this_week) == ["due 11 March"]


def test_it_leaves_out_done_followups_and_other_peoples(utc_user):
    someone_else = UserFactory(username="sam")
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[10], description="mine")
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[10], description="mine but done",
                    done_at=NOW - datetime.timedelta(hours=1))
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[8], description="mine, overdue but done",
                    done_at=NOW - datetime.timedelta(hours=1))
    FollowUpFactory(assigned_to=someone_else, created_by=utc_user, due_date=MAR[10], description="Sam's")

    with time_machine.travel(NOW, tick=False):
        agenda = today_agenda(user=utc_user)

    assert descriptions(agenda.overdue + agenda.due_today + agenda.this_week) == ["mine"]


def test_recent_interactions_are_newest_first(utc_user):
    InteractionFactory(occurred_at=NOW - datetime.timedelta(days=2), asked_for="two days ago")
    InteractionFactory(occurred_at=NOW - datetime.timedelta(minutes=5), asked_for="five minutes ago")
    InteractionFactory(occurred_at=NOW - datetime.timedelta(hours=3), asked_for="three hours ago")

    with time_machine.travel(NOW, tick=False):
        agenda = today_agenda(user=utc_user)

    assert [i.asked_for for i in agenda.recent] == ["five minutes ago", "three hours ago", "two days ago"]


def test_an_unknown_time_zone_falls_back_to_the_default(utc_user):
    utc_user.time_zone = "Mars/Olympus_Mons"
    FollowUpFactory(assigned_to=utc_user, due_date=MAR[10], description="today")

    with time_machine.travel(NOW, tick=False):
        agenda = today_agenda(user=utc_user)

    assert agenda.today == MAR[10]
    assert descriptions(agenda.due_today) == ["today"]
