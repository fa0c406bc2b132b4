"""The weekly email: its sections, its day and hour, and no email when there is nothing to say."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.template import engines

from core.registries import digest_sections
from mail.models import SentEmail
from reminders.digest import due_soon_followups_section, overdue_followups_section
from reminders.services import emails_send_due
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.date(2026, 6, 8)
MONDAY_7AM = datetime.datetime(2026, 6, 8, 7, tzinfo=LONDON)


def run(now):
    with time_machine.travel(now, tick=False):
        return emails_send_due(now=now)


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def leo(db):
    return UserFactory(username="leo", first_name="Leo", time_zone="Europe/London", reminders_enabled=False)


def test_it_lists_overdue_due_this_week_and_customers_not_heard_from(leo):
    # Given: the business's default cadence, every 90 days
    FollowUpFactory(assigned_to=leo, due_date=MONDAY - days(2), description="Overdue call")
    FollowUpFactory(assigned_to=leo, due_date=MONDAY, description="Today's call")
    FollowUpFactory(assigned_to=leo, due_date=MONDAY + days(6), description="Sunday's call")
    FollowUpFactory(assigned_to=leo, due_date=MONDAY + days(7), description="Next Monday's call")
    with time_machine.travel(MONDAY_7AM - days(200), tick=False):
        quiet = CustomerFactory(name="Quiet Quentin", assigned_to=leo)
        CustomerFactory(name="Never Nora", assigned_to=leo)
        chatty = CustomerFactory(name="Chatty Cathy", assigned_to=leo)
        CustomerFactory(name="Someone Else's", assigned_to=UserFactory())
        CustomerFactory(name="Lost Larry", assigned_to=leo, status="lost")
    InteractionFactory(customer=quiet, occurred_at=MONDAY_7AM - days(91))
    InteractionFactory(customer=chatty, occurred_at=MONDAY_7AM - days(89))

    # When
    run(MONDAY_7AM)

    # Then
    [message] = mail.outbox
    assert message.subject == "ServiceCRM: your week ahead, 8 June"
    text = message.body
    assert "OVERDUE FOLLOW-UPS (1)" in text and "Overdue call" in text
    assert "DUE IN THE NEXT 7 DAYS (2)" in text and "Today's call" in text and "Sunday's call" in text
    assert "Next Monday's call" not in text
    assert "AT RISK: CALL ONCE MORE (2)" in text  # insights' section, by the At-risk list's rule
    assert text.index("Never Nora") < text.index("Quiet Quentin")  # the most overdue first
    assert "No contact logged since added 200 days ago (due every 90)" in text
    assert "Last contact 91 days ago (due every 90)" in text
    for absent in ("Chatty Cathy", "Someone Else's", "Lost Larry"):
        assert absent not in text
    html = message.alternatives[0][0]
    assert "<h2>Overdue follow-ups (1)</h2>" in html and f'href="http://127.0.0.1:8000/customers/{quiet.pk}/"' in html
    assert SentEmail.objects.get().period == "2026-W24"


def test_it_goes_out_on_the_chosen_weekday_and_hour_only(leo):
    # Given: Leo wants it on Wednesdays at 18:00
    leo.digest_weekday = 2
    leo.digest_hour = 18
    leo.save()
    FollowUpFactory(assigned_to=leo, due_date=MONDAY + days(3))

    # When / Then
    run(MONDAY_7AM)
    run(datetime.datetime(2026, 6, 10, 17, 55, tzinfo=LONDON))
    assert len(mail.outbox) == 0
    run(datetime.datetime(2026, 6, 10, 18, 0, tzinfo=LONDON))
    run(datetime.datetime(2026, 6, 10, 22, 0, tzinfo=LONDON))
    assert len(mail.outbox) == 1


def test_changing_the_day_mid_week_does_not_send_a_second_one_that_week(leo):
    # Given: Monday's email went out
    FollowUpFactory(assigned_to=leo, due_date=MONDAY + days(3))
    run(MONDAY_7AM)

    # When: Leo moves it to Thursday, the same ISO week
    leo.digest_weekday = 3
    leo.save()
    run(datetime.datetime(2026, 6, 11, 7, tzinfo=LONDON))

    # Then
    assert len(mail.outbox) == 1


def test_nothing_to_say_sends_no_email_and_is_not_looked_at_again(leo):
    # Given: nothing due, nobody waiting
    # When
    run(MONDAY_7AM)

    # Then
    assert len(mail.outbox) == 0
    assert SentEmail.objects.get().status == "skipped"
    run(MONDAY_7AM + datetime.timedelta(minutes=5))
    assert SentEmail.objects.count() == 1


def test_nothing_to_say_still_sends_when_the_setting_says_so(leo, settings):
    settings.REMINDERS_SKIP_EMPTY_DIGEST = False

    run(MONDAY_7AM)

    assert "Nothing is due and nobody is waiting on you this week." in mail.outbox[0].body


def test_a_user_who_turned_it_off_gets_none(leo):
    leo.digest_enabled = False
    leo.save()
    FollowUpFactory(assigned_to=leo, due_date=MONDAY)

    run(MONDAY_7AM)

    assert len(mail.outbox) == 0


@pytest.fixture
def extra_section(settings):
    """A section another app would register, with its two templates."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {
                        "otherapp/digest.txt": "FROM ANOTHER APP: {{ c.count }} & {{ c.word }}\n",
                        "otherapp/digest.html": "<h2>From another app: {{ c.count }} {{ c.word }}</h2>",
                    }),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    counts = {"n": 3}
    digest_sections.register("otherapp/digest", lambda **kw: {"count": counts["n"], "word": "<b>"}, order=40)
    yield counts
    digest_sections._entries.pop("otherapp/digest")
    engines.__dict__.pop("templates", None)


def test_sections_registered_by_other_apps_are_rendered_in_order_and_escaped_in_html(leo, extra_section):
    # Given
    FollowUpFactory(assigned_to=leo, due_date=MONDAY, description="Today's call")

    # When
    run(MONDAY_7AM)

    # Then
    text = mail.outbox[0].body
    assert "FROM ANOTHER APP: 3 & <b>" in text
    assert text.index("DUE IN THE NEXT 7 DAYS") < text.index("FROM ANOTHER APP")
    assert "<h2>From another app: 3 &lt;b&gt;</h2>" in mail.outbox[0].alternatives[0][0]


def test_a_section_with_nothing_to_list_is_left_out(leo, extra_section):
    extra_section["n"] = 0
    FollowUpFactory(assigned_to=leo, due_date=MONDAY)

    run(MONDAY_7AM)

    assert "FROM ANOTHER APP" not in mail.outbox[0].body


@pytest.mark.parametrize("size", [1, 8])
def test_the_built_in_sections_run_a_constant_number_of_queries(leo, size, django_assert_num_queries):
    # Given
    for n in range(size):
        customer = CustomerFactory(assigned_to=leo)
        FollowUpFactory(customer=customer, assigned_to=leo, due_date=MONDAY - days(n % 3))
    now = MONDAY_7AM.astimezone(datetime.UTC)

    # When / Then: one list query per section (the count comes from the list while it is short)
    with django_assert_num_queries(2):
        overdue = overdue_followups_section(user=leo, today=MONDAY, now=now)
        due_soon = due_soon_followups_section(user=leo, today=MONDAY, now=now)
        [f.customer.phone for f in overdue["items"] + due_soon["items"]]
    assert overdue["count"] + due_soon["count"] == size
