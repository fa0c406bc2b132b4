"""The daily follow-up reminder: who gets it, when, and what it says (in-process, locmem mail)."""

import datetime
import zoneinfo
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import resolve

from mail.models import SentEmail
from reminders.services import emails_send_due
from tests.factories import CustomerFactory, FollowUpFactory, UserFactory

AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
DAY = datetime.date(2026, 6, 10)  # a Wednesday


def at(local: str, zone=AUCKLAND) -> datetime.datetime:
    return datetime.datetime.fromisoformat(local).replace(tzinfo=zone)


def run(now):
    with time_machine.travel(now, tick=False):
        return emails_send_due(now=now)


@pytest.fixture
def ann(db):
    return UserFactory(username="ann", first_name="Ann", email="ann@example.com", time_zone="Pacific/Auckland",
                       digest_enabled=False)


def test_it_lists_due_and_overdue_followups_with_phone_and_card_link(ann, settings):
    # Given: one follow-up due today, one overdue, one next week, one someone else's
    settings.SITE_URL = "https://crm.example.com"
    smith = CustomerFactory(name="Smith & <Sons>", phone="+12025550101")
    jones = CustomerFactory(name="Jones", phone="+12025550102")
    FollowUpFactory(customer=smith, assigned_to=ann, due_date=DAY, description="Quote for the hedge")
    FollowUpFactory(customer=jones, assigned_to=ann, due_date=DAY - datetime.timedelta(days=3),
                    description="Ask how the lawn looks")
    FollowUpFactory(assigned_to=ann, due_date=DAY + datetime.timedelta(days=7), description="Next week's call")
    FollowUpFactory(due_date=DAY, description="Someone else's call")

    # When
    run(at("2026-06-10T08:00"))

    # Then: one email, listing today's and the overdue one, marked
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ann <ann@example.com>"] or parseaddr(message.to[0])[1] == "ann@example.com"
    assert message.subject == "ServiceCRM: 1 follow-up due today, 1 overdue"
    text = message.body
    assert "Smith & <Sons>: Quote for the hedge" in text
    assert "OVERDUE since 7 Jun 2026 — Jones: Ask how the lawn looks" in text
    assert "(202) 555-0101" in text
    assert "Next week's call" not in text and "Someone else's call" not in text
    html = message.alternatives[0][0]
    assert "Smith &amp; &lt;Sons&gt;" in html and "<Sons>" not in html
    assert "Overdue</strong>" in html
    link = next(line.strip() for line in text.splitlines() if line.strip().startswith("https://crm.example.com/customers/"))
    match = resolve(urlsplit(link).path)
    assert match.view_name == "customers:detail" and match.kwargs["pk"] == smith.pk


def test_it_sends_one_email_for_many_followups_and_records_it(ann):
    # Given
    for _ in range(3):
        FollowUpFactory(assigned_to=ann, due_date=DAY)

    # When: the dispatcher runs at 08:00 and again at 08:05
    run(at("2026-06-10T08:00"))
    run(at("2026-06-10T08:05"))

    # Then
    assert len(mail.outbox) == 1
    assert "3 follow-ups due today" in mail.outbox[0].subject
    row = SentEmail.objects.get()
    assert (row.user, row.kind, row.period, row.status, row.attempts) == (ann, "reminder", "2026-06-10", "sent", 1)
    assert row.message_id == mail.outbox[0].extra_headers["Message-ID"]


def test_it_waits_for_the_users_hour(ann):
    # Given
    ann.reminder_hour = 9
    ann.save()
    FollowUpFactory(assigned_to=ann, due_date=DAY)

    # When / Then
    run(at("2026-06-10T08:55"))
    assert len(mail.outbox) == 0
    run(at("2026-06-10T09:00"))
    assert len(mail.outbox) == 1


def test_it_sends_later_the_same_day_when_the_dispatcher_was_down_at_the_hour(ann):
    # Given
    FollowUpFactory(assigned_to=ann, due_date=DAY)

    # When: the first run after 08:00 is at 15:40
    run(at("2026-06-10T15:40"))

    # Then
    assert len(mail.outbox) == 1


def test_a_missed_day_is_not_sent_late_but_the_overdue_followup_comes_back_the_next_morning(ann):
    # Given: yesterday's follow-up, never reminded (the dispatcher was down all day)
    FollowUpFactory(assigned_to=ann, due_date=DAY, description="Chase the invoice")

    # When: it runs the next morning
    run(at("2026-06-11T08:00"))

    # Then: one email, for today, listing it as overdue ("never give up first"); yesterday's is not sent late
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "1 overdue follow-up" in message.subject
    assert "OVERDUE since 10 Jun 2026" in message.body and "Chase the invoice" in message.body
    assert list(SentEmail.objects.values_list("period", flat=True)) == ["2026-06-11"]


def test_a_long_overdue_list_is_cut_and_says_how_many_more_there_are(ann):
    from core.lists import LIST_LIMIT

    for days in range(1, LIST_LIMIT + 4):
        FollowUpFactory(assigned_to=ann, due_date=DAY - datetime.timedelta(days=days))

    run(at("2026-06-10T08:00"))

    message = mail.outbox[0]
    assert f"{LIST_LIMIT + 3} overdue follow-ups" in message.subject
    assert message.body.count("OVERDUE since") == LIST_LIMIT
    assert "…and 3 more overdue" in message.body
    assert "3 more overdue</a>" in message.alternatives[0][0]


def test_it_sends_nothing_on_a_day_with_nothing_open_due_or_overdue(ann):
    FollowUpFactory(assigned_to=ann, due_date=DAY + datetime.timedelta(days=1))
    FollowUpFactory(assigned_to=ann, due_date=DAY, done_at=at("2026-06-09T10:00"))
    FollowUpFactory(assigned_to=ann, due_date=DAY - datetime.timedelta(days=1), done_at=at("2026-06-09T10:00"))

    run(at("2026-06-10T08:00"))

    assert len(mail.outbox) == 0


def test_it_respects_a_user_who_turned_it_off(ann):
    ann.reminders_enabled = False
    ann.save()
    FollowUpFactory(assigned_to=ann, due_date=DAY)

    run(at("2026-06-10T08:00"))

    assert len(mail.outbox) == 0


def test_it_skips_inactive_users_and_users_without_email(db):
    FollowUpFactory(assigned_to=UserFactory(is_active=False), due_date=DAY)
    FollowUpFactory(assigned_to=UserFactory(email=""), due_date=DAY)

    run(at("2026-06-10T08:00", zoneinfo.ZoneInfo("UTC")))

    assert len(mail.outbox) == 0


def test_the_headers_carry_the_business_name_message_id_and_unsubscribe_link(ann, settings):
    # Given
    settings.BUSINESS_NAME = "Sparkle Cleaning"
    settings.SITE_URL = "https://crm.sparkle.example"
    settings.DEFAULT_FROM_EMAIL = "office@sparkle.example"
    FollowUpFactory(assigned_to=ann, due_date=DAY)

    # When
    run(at("2026-06-10T08:00"))

    # Then
    parsed = mail.outbox[0].message()
    assert parsed["From"] == "Sparkle Cleaning <office@sparkle.example>"
    assert parsed["Subject"].startswith("Sparkle Cleaning: ")
    assert parsed["Message-ID"].endswith("@crm.sparkle.example>")
    assert parsed["List-Unsubscribe"] == "<https://crm.sparkle.example/account/profile/>"
    assert parsed["Date"]
    assert "https://crm.sparkle.example/account/profile/" in mail.outbox[0].body
