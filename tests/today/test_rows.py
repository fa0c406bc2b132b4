"""Today writes its follow-up rows out instead of including followups/_followup_row.html once per row (issue 16):
the rows must stay the ones that template shows."""

import datetime
import re

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import CustomerFactory, FollowUpFactory

NOW = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def _squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def test_each_row_is_the_shared_followup_row_with_its_customer(worker_client, worker):
    FollowUpFactory(assigned_to=worker, due_date=TODAY - datetime.timedelta(days=2), attempts=3,
                    customer=CustomerFactory(name="O'Hara & Sons", phone="+442079460018"), description="Chase <quote>")
    FollowUpFactory(assigned_to=worker, due_date=TODAY, customer=CustomerFactory(name="Dora", phone="+13035552176"))
    FollowUpFactory(assigned_to=worker, due_date=TODAY + datetime.timedelta(days=3),
                    customer=CustomerFactory(name="No Phone Ned", phone="", alt_phone="+13035550100"))

    with time_machine.travel(NOW, tick=False):
        response = worker_client.get(reverse("today") + "?from=menu&x=a b")
        agenda = response.context["agenda"]
        rows = [
            render_to_string("followups/_followup_row.html", {"f": f, "today": TODAY, "show_customer": True},
                             request=response.wsgi_request)
            for f in agenda.overdue + agenda.due_today + agenda.this_week
        ]

    page = _squeezed(response.content.decode())
    assert len(rows) == 3
    for row in rows:
        assert _squeezed(row) in page
    assert 'href="tel:+442079460018">020 7946 0018</a>' in page
    assert 'href="tel:+13035552176">(303) 555-2176</a>' in page
    assert "tel:+13035550100" not in page  # the row shows the main number only, as the shared row does


def test_the_customers_numbers_are_not_loaded_for_the_rows(worker_client, worker):
    FollowUpFactory(assigned_to=worker, due_date=TODAY, customer=CustomerFactory(phone="+13035552176"))

    with time_machine.travel(NOW, tick=False):
        agenda = worker_client.get(reverse("today")).context["agenda"]

    deferred = agenda.due_today[0].customer.get_deferred_fields()
    assert {"phone", "alt_phone"} <= deferred
