"""What plans add to the customer card, Today and the weekly email."""

import datetime

import pytest
from django.db import connection
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import sections, selectors
from core.registries import card_sections, digest_sections, today_sections
from customers.selectors import customer_for_card
from tests.factories import CustomerFactory, TagFactory

from .factories import ActionPlanFactory, ActionStepFactory

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


def _plans_serving(customer, tag, n):
    for i in range(n):
        for audience in ({"audience_kind": "customer", "customer": customer}, {"audience_kind": "tag", "tag": tag},
                         {"audience_kind": "all"}):
            plan = ActionPlanFactory(title=f"{audience['audience_kind']} {i}", **audience)
            for position in range(4):
                ActionStepFactory(plan=plan, position=position)


def test_the_sections_are_registered():
    assert any(s.template == "actionplans/_card_section.html" for s in card_sections.entries())
    assert any(s.template == "actionplans/_today_section.html" for s in today_sections.entries())
    assert any(s.template == "actionplans/emails/digest_section" for s in digest_sections.entries())


@pytest.mark.parametrize("plans", [1, 5])
def test_the_card_section_runs_two_queries_for_any_number_of_plans(db, plans, django_assert_num_queries):
    tag = TagFactory(name="regular")
    customer = CustomerFactory(tags=[tag])
    _plans_serving(customer, tag, plans)
    card_customer = customer_for_card(customer.pk)
    # plans serving the customer (their tags are prefetched by the card), their first open steps with assignees
    with django_assert_num_queries(2):
        context = sections.card_context(customer=card_customer, request=None)
        html = render_to_string("actionplans/_card_section.html", {"c": context})
    assert len(context["plans"]) == 3 * plans
    assert html.count("<li>") == 3 * plans * 3  # three next steps each


def test_the_customer_card_shows_plans_and_its_queries_do_not_grow_with_plans(owner_client):
    tag = TagFactory(name="regular")
    customer = CustomerFactory(tags=[tag])
    url = reverse("customers:detail", args=[customer.pk])
    _plans_serving(customer, tag, 1)
    owner_client.get(url)  # the first visit also saves the session: leave it out of the comparison
    with CaptureQueriesContext(connection) as small:
        owner_client.get(url)
    _plans_serving(customer, tag, 4)
    with CaptureQueriesContext(connection) as large:
        page = owner_client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "Service action plans" in page and "customer 0" in page and "tag 3" in page and "all 2" in page


def test_today_lists_my_overdue_and_coming_plan_steps(worker_client, worker):
    plan = ActionPlanFactory(title="Regulars")
    ActionStepFactory(plan=plan, assignee=worker, what="Late card", due_date=timezone.localdate() - 2 * DAY)
    ActionStepFactory(plan=plan, assignee=worker, what="Text before visit", due_date=timezone.localdate() + 2 * DAY)
    ActionStepFactory(plan=plan, what="Not mine", due_date=timezone.localdate())
    page = worker_client.get(reverse("today")).content.decode()
    section = page[page.index('id="plan-steps-h"'):]
    assert "Late card" in section and "Text before visit" in section and "Not mine" not in section
    assert section.index("Late card") < section.index("Text before visit")


@pytest.mark.parametrize("steps", [1, 6])
def test_the_today_section_runs_one_query(db, worker, steps, django_assert_num_queries):
    plan = ActionPlanFactory()
    for _ in range(steps):
        ActionStepFactory(plan=plan, assignee=worker, due_date=TODAY)
    with django_assert_num_queries(1):
        context = sections.today_context(user=worker, today=TODAY, request=None)
        render_to_string("actionplans/_today_section.html", {"c": context})
    assert context["count"] == steps


def test_the_weekly_email_section_counts_and_lists_steps_with_links(db, worker, settings):
    settings.SITE_URL = "https://crm.example.com"
    plan = ActionPlanFactory(title="Regulars")
    late = ActionStepFactory(plan=plan, assignee=worker, what="Call Mrs O'Brien", due_date=TODAY - DAY)
    ActionStepFactory(plan=plan, assignee=worker, what="Plant a rose", due_date=TODAY + 3 * DAY)
    now = datetime.datetime(2026, 11, 23, 7, tzinfo=datetime.UTC)

    context = sections.digest_context(user=worker, today=TODAY, now=now)
    # Plain text is rendered without HTML escaping, as mail.emails.render_text does.
    text = get_template("actionplans/emails/digest_section.txt").template.render(Context({"c": context}, autoescape=False))
    html = render_to_string("actionplans/emails/digest_section.html", {"c": context})

    assert context["count"] == 2
    assert "OVERDUE since Sun 22 Nov: Call Mrs O'Brien (Regulars)" in text
    assert f"https://crm.example.com/plans/{plan.pk}/#step-{late.pk}" in text
    assert "Plant a rose" in html and "Mrs O&#x27;Brien" in html


def test_the_weekly_email_section_is_empty_when_nothing_is_due(db, worker):
    context = sections.digest_context(user=worker, today=TODAY, now=timezone.now())
    assert context["count"] == 0


def test_the_weekly_email_lists_at_most_the_limit_and_says_how_many_more(db, worker):
    plan = ActionPlanFactory()
    for _ in range(3):
        ActionStepFactory(plan=plan, assignee=worker, due_date=TODAY)
    due = selectors.due_steps_split(worker, TODAY, limit=2)
    assert (len(due.upcoming), due.count, due.more) == (2, 3, 1)
