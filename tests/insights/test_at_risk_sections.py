"""The At-risk rule elsewhere: "Call once more" at the top of Today, and the weekly email's At-risk section."""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from core.registries import digest_sections, today_sections
from insights.sections import digest_context, today_context
from reminders.services import emails_send_due
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, UserFactory
from tests.insights.conftest import NOW, days_ago

pytestmark = pytest.mark.clock(NOW)


def late(name, *, assigned_to=None, last=47, **fields):
    customer = CustomerFactory(name=name, assigned_to=assigned_to, contact_every_days=30, **fields)
    InteractionFactory(customer=customer, occurred_at=days_ago(last))
    return customer


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_sections_are_registered():
    assert "insights/_today_at_risk.html" in {e.template for e in today_sections.entries()}
    assert [e.order for e in today_sections.entries() if e.template == "insights/_today_at_risk.html"] == [-10]
    assert [e.order for e in digest_sections.entries() if e.template == "insights/emails/digest_at_risk"] == [60]


# Today --------------------------------------------------------------------------------------------------------

def test_today_opens_with_call_once_more_above_the_follow_ups(worker_client, worker):
    late("Late Lucy", assigned_to=worker)
    FollowUpFactory(assigned_to=worker, due_date=NOW.date())

    html = worker_client.get(reverse("today")).content.decode()

    assert html.index("Call once more") < html.index("Overdue") < html.index("Recent interactions")
    assert "Late Lucy" in html and "Last contact 47 days ago (due every 30)" in html


def test_today_shows_the_first_five_with_the_total_and_a_link_to_the_rest(worker, owner):
    for n in range(7):
        late(f"Late {n}", assigned_to=worker, last=40 + n)
    late("Someone else's", assigned_to=owner, last=100)

    context = today_context(user=worker, today=NOW.date(), request=request_for(worker))

    assert [c.name for c in context["items"]] == ["Late 6", "Late 5", "Late 4", "Late 3", "Late 2"]
    assert context["count"] == 7 and context["more"] == 2 and context["top"] is True


def test_today_says_so_when_nobody_is_at_risk(worker_client):
    html = worker_client.get(reverse("today")).content.decode()

    assert "Nobody at risk" in html and f'href="{reverse("insights:at_risk")}"' in html


@pytest.mark.parametrize("size", [2, 20])
def test_the_today_section_runs_one_query(worker, size, django_assert_num_queries):
    for n in range(size):
        late(f"Late {n}", assigned_to=worker if n % 2 else None)
    worker.is_owner  # noqa: B018 - cached on the user, as the page's menu has it

    with django_assert_num_queries(1):
        context = today_context(user=worker, today=NOW.date(), request=request_for(worker))

    assert context["count"] == size


# The weekly email ---------------------------------------------------------------------------------------------

def test_the_weekly_section_lists_a_workers_own_customers_with_why(worker, owner):
    late("Mine", assigned_to=worker)
    late("Nobody's")
    late("The owner's", assigned_to=owner)

    context = digest_context(user=worker, today=NOW.date(), now=NOW)

    assert [c.name for c in context["items"]] == ["Mine"] and context["count"] == 1
    assert [r.text for r in context["items"][0].risk_reasons] == ["Last contact 47 days ago (due every 30)"]


def test_the_owners_weekly_section_adds_the_customers_nobody_looks_after(worker, owner):
    late("Mine", assigned_to=worker)
    late("Nobody's", last=60)
    late("The owner's", assigned_to=owner)

    context = digest_context(user=owner, today=NOW.date(), now=NOW)

    assert [c.name for c in context["items"]] == ["Nobody's", "The owner's"]


def test_the_weekly_email_carries_the_section(db):
    # Given: Leo's email is due at 7:00 on Mondays; one of his customers has not heard from us in 47 days
    leo = UserFactory(username="leo", time_zone="UTC", reminders_enabled=False, digest_weekday=NOW.weekday(),
                      digest_hour=7)
    customer = late("Late Lucy", assigned_to=leo, phone="+12025550123")

    # When
    emails_send_due(now=NOW)

    # Then
    [message] = mail.outbox
    assert "AT RISK: CALL ONCE MORE (1)" in message.body
    assert "Last contact 47 days ago (due every 30)" in message.body
    assert f"http://127.0.0.1:8000/customers/{customer.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "<h2>At risk: call once more (1)</h2>" in html and 'href="tel:+12025550123"' in html


@pytest.mark.parametrize("size", [2, 20])
def test_the_weekly_section_runs_one_query(owner, size, django_assert_num_queries):
    for n in range(size):
        late(f"Late {n}", assigned_to=owner if n % 2 else None)
    owner.is_owner  # noqa: B018 - the email builder reads the user once

    with django_assert_num_queries(1):
        context = digest_context(user=owner, today=NOW.date(), now=NOW)

    assert context["count"] == size
