"""Each block's figures on a small hand-built book with known answers."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from core.business import business_settings
from customers.models import Customer
from insights import selectors
from insights.forms import Period
from insights.page import Insights
from tests.factories import FollowUpFactory, UserFactory
from tests.feedback.factories import FeedbackFactory

from .factories import at, customer, interaction

NOW = "2026-06-15 12:00 +00:00"
UTC = datetime.UTC
DENVER = __import__("zoneinfo").ZoneInfo("America/Denver")

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def last_90_days(tz=UTC) -> Period:
    today = timezone.localdate(timezone.now(), tz)
    return Period.of_days(today - datetime.timedelta(days=89), today, tz)


def table(block, slug):
    found = next(t for t in block.tables if t.slug == slug)
    return [[cell.text for cell in row] for row in found.rows]


def insights(user=None, *, owner=True, tz=UTC, member=None):
    return Insights(period=last_90_days(tz), member=member, tz=tz, owner=owner)


# 1. 80/20

def test_ten_customers_of_known_revenue_two_bring_80_percent():
    # Given 10 customers: 500 + 300 + 8 × 25 = 1,000 in the period
    for i, amount in enumerate([500, 300] + [25] * 8):
        interaction(customer(f"Customer {i}"), when=at("2026-06-01 10:00"), charged=str(amount))

    block = insights().revenue()

    assert block.answer == "2 customers (20 %) bring 80 % of your revenue."
    assert table(block, "revenue")[:2] == [["Customer 0", "500.00", "50 %", "0", "0.0"],
                                           ["Customer 1", "300.00", "30 %", "0", "0.0"]]
    assert block.extra["total"] == "1,000.00"


def test_a_refund_lowers_revenue_and_revenue_outside_the_period_is_left_out():
    ann = customer("Ann")
    interaction(ann, when=at("2026-06-01 10:00"), charged="100", refunded="40")
    interaction(ann, when=at("2026-01-01 10:00"), charged="1000")  # before the last 90 days

    pareto = selectors.revenue_pareto(last_90_days())

    assert pareto.total == Decimal("60")
    assert [row["revenue"] for row in pareto.top] == [Decimal("60")]


def test_the_curve_starts_at_zero_and_ends_at_all_the_revenue():
    for i in range(30):
        interaction(customer(f"C{i}"), when=at("2026-06-01 10:00"), charged=str(10 + i))

    pareto = selectors.revenue_pareto(last_90_days())

    assert pareto.curve[0] == (0.0, 0.0)
    assert pareto.curve[-1] == (1.0, 1.0)
    assert len(pareto.curve) == selectors.CURVE_POINTS + 1
    assert len(pareto.top) == selectors.TOP


# 2. Existing vs new business

def test_existing_revenue_repeat_rate_and_gained():
    old = customer("Old", since=datetime.date(2025, 1, 1))
    new = customer("New", since=datetime.date(2026, 6, 1))
    interaction(old, when=at("2026-06-01 10:00"), charged="300")
    interaction(old, when=at("2026-06-02 10:00"), charged="100")
    interaction(new, when=at("2026-06-03 10:00"), charged="100")

    figures = selectors.business(last_90_days(), None, default_cadence_days=90, with_money=True)

    assert figures.existing_revenue == Decimal("400")
    assert figures.existing_share == 0.8
    assert (figures.customers_served, figures.repeat_customers, figures.repeat_rate) == (2, 1, 0.5)
    assert figures.gained == 1


def test_a_status_changed_to_lost_in_the_period_counts_as_lost():
    with time_machine.travel(at("2025-06-01 10:00")):
        lost_now = customer("Lost in the period", since=datetime.date(2025, 6, 1))
        lost_before = customer("Lost long ago", since=datetime.date(2025, 6, 1))
        interaction(lost_now, when=at("2025-06-01 10:00"))
        interaction(lost_before, when=at("2025-06-01 10:00"))
    with time_machine.travel(at("2025-07-01 10:00")):
        lost_before.status = Customer.Status.LOST
        lost_before.save()
    with time_machine.travel(at("2026-06-01 10:00")):
        lost_now.status = Customer.Status.LOST
        lost_now.save()
        customer("Came in lost", status=Customer.Status.LOST)  # never ours: not a loss
    # Keeps in touch, so is not lost by silence either
    kept = customer("Kept", since=datetime.date(2025, 6, 1))
    interaction(kept, when=at("2026-06-10 10:00"))

    figures = selectors.business(last_90_days(), None, default_cadence_days=3650, with_money=False)

    assert figures.lost_by_status == 1
    assert [c.name for c in figures.lost_names] == ["Lost in the period"]
    assert figures.at_start == 2  # Kept, and the one lost in the period
    assert figures.attrition == 0.5


def test_no_contact_for_twice_the_cadence_inside_the_period_counts_as_lost():
    with time_machine.travel(at("2025-06-01 10:00")):
        silent = customer("Silent", contact_every_days=30)  # last contact 2026-04-01 + 60 days = 31 May
        steady = customer("Steady", contact_every_days=30)
    interaction(silent, when=at("2026-04-01 10:00"))
    interaction(steady, when=at("2026-06-10 10:00"))

    figures = selectors.business(last_90_days(), None, default_cadence_days=90, with_money=False)

    assert figures.lost_by_silence == 1
    assert [c.name for c in figures.lost_names] == ["Silent"]


# 3. Time and money

def test_least_profitable_picks_the_lowest_revenue_minus_cost_among_three_or_more_interactions():
    settings = business_settings()
    settings.hourly_cost = Decimal("60")
    settings.save()
    costly, fine, rare = customer("Costly"), customer("Fine"), customer("Rare")
    for day in (1, 2, 3):
        interaction(costly, when=at(f"2026-06-0{day} 10:00"), charged="10", minutes=60)
        interaction(fine, when=at(f"2026-06-0{day} 10:00"), charged="100", minutes=60)
    interaction(rare, when=at("2026-06-01 10:00"), minutes=600)  # only one interaction: not ranked

    block = insights().costs()

    assert table(block, "least-profitable") == [
        ["Costly", "3", "3.0", "30.00", "10.00", "180.00", "-150.00"],
        ["Fine", "3", "3.0", "300.00", "100.00", "180.00", "120.00"],
    ]
    assert table(block, "customer-time")[0][0] == "Rare"


# 4. Durations

def test_setting_up_a_new_customer_is_their_first_three_interactions():
    new = customer("New")
    for day, minutes in ((1, 10), (2, 10), (3, 10), (4, 40)):
        interaction(new, when=at(f"2026-06-0{day} 10:00"), minutes=minutes)

    block = insights().durations()

    assert table(block, "duration-setup") == [["New: first 3 interactions", "3", "10.0"], ["Existing", "1", "40.0"]]
    assert table(block, "duration-channel") == [["Call", "4", "17.5"]]


# 5. Peak times

def test_a_call_at_23_30_utc_is_monday_16_30_for_a_user_in_denver():
    interaction(customer("Ann"), when=at("2026-01-05 23:30"), channel="call")  # a Monday, winter (UTC-7)
    period = Period.of_days(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), DENVER)

    assert selectors.peak_times(period, None, DENVER)["call"] == {(1, 16): 1}
    assert selectors.peak_times(period, None, UTC)["call"] == {(1, 23): 1}


def test_the_heat_map_table_puts_the_call_in_its_local_hour():
    interaction(customer("Ann"), when=at("2026-06-08 23:30"), channel="call")  # Monday, summer (UTC-6)
    interaction(customer("Bob"), when=at("2026-06-09 15:00"), channel="visit")

    block = insights(tz=DENVER).peaks()

    calls = table(block, "peaks-calls")
    assert calls[0][0] == "Mon" and calls[0][1 + 17] == "1"
    assert sum(int(n) for row in calls for n in row[1:]) == 1
    assert table(block, "peaks-visits")[1][1 + 9] == "1"
    assert "Calls peak on Mon 17:00–18:00 (1)." in block.answer


# 6, 7. First-contact resolution and asking

def test_first_contact_resolution_and_asking_shares():
    will = UserFactory(username="will", first_name="Will", last_name="Worker")
    ann = customer("Ann")
    interaction(ann, user=will, when=at("2026-06-01 10:00"), resolved_first_contact=True, asked_for_sale=True,
                asked_for_referral=True)
    interaction(ann, user=will, when=at("2026-06-02 10:00"), asked_for_sale=True)
    interaction(ann, user=will, when=at("2026-06-03 10:00"), channel="visit")
    interaction(ann, user=will, when=at("2026-06-04 10:00"), channel="visit")
    customer("Referred", since=datetime.date(2026, 6, 1), referred_by=ann, assigned_to=will)
    customer("Referred to someone else", since=datetime.date(2026, 6, 1), referred_by=ann)

    page = insights(member=will)
    fcr, asking = page.first_contact(), page.asking()

    assert fcr.answer == "25 % of interactions were resolved on first contact."
    assert table(fcr, "fcr-channel") == [["Call", "2", "1", "50 %"], ["Visit", "2", "0", "0 %"]]
    assert table(fcr, "fcr-member") == [["Will Worker", "4", "1", "25 %"]]
    assert table(asking, "asking") == [["Will Worker", "4", "50 %", "25 %"]]
    assert "1 new customers came referred" in asking.answer


# 8. Advocates

def test_advocates_rank_by_referrals_then_rating_and_the_marked_lists():
    ann, bob = customer("Ann", happy_to_be_reference=True), customer("Bob", happy_to_try_new=True)
    for i in range(2):
        customer(f"From Ann {i}", referred_by=ann)
    customer("From Bob", referred_by=bob)
    FeedbackFactory(customer=bob, rating=5, likes=["On time", "Tidy"])
    interaction(ann, when=at("2026-06-01 10:00"), attitude=4)

    block = insights().advocates()

    assert table(block, "advocates") == [["Ann", "2", "—", "0", "Happy"], ["Bob", "1", "5.0", "2", "—"]]
    assert table(block, "references") == [["Ann"]]
    assert table(block, "testers") == [["Bob"]]


# 9. Sales potential

def test_sales_potential_follows_the_rule():
    def grower(name, **fields):
        c = customer(name)
        interaction(c, when=at("2025-11-01 10:00"), charged="100")  # the 180 days before
        interaction(c, when=at("2026-05-01 10:00"), charged="300", attitude=fields.pop("attitude", 5),
                    more_services_ideas=fields.pop("idea", "Window cleaning"))
        return c

    grower("Match")
    grower("Unhappy", attitude=3)
    grower("No idea", idea="")
    asked = grower("Already asked")
    interaction(asked, when=at("2026-05-10 10:00"), asked_for_sale=True, attitude=5)

    rows, found = selectors.sales_potential(None, now=timezone.now())

    assert [c.name for c in rows] == ["Match"] and found == 1
    assert (rows[0].recent_revenue, rows[0].earlier_revenue, rows[0].idea) == (300, 100, "Window cleaning")


# 10. Team

def test_team_counts_follow_ups_on_time_and_late_and_their_customers_feedback():
    will = UserFactory(username="will", first_name="Will", last_name="Worker", role="field_worker")
    ann = customer("Ann", assigned_to=will)
    interaction(ann, user=will, when=at("2026-06-01 10:00"), minutes=30, resolved_first_contact=True)
    FollowUpFactory(customer=ann, assigned_to=will, due_date=datetime.date(2026, 6, 5), done_at=at("2026-06-05 18:00"))
    FollowUpFactory(customer=ann, assigned_to=will, due_date=datetime.date(2026, 6, 5), done_at=at("2026-06-07 09:00"))
    FeedbackFactory(customer=ann, rating=4, received_at=at("2026-06-02 10:00"))

    block = insights(member=will).team_block()

    assert table(block, "team") == [["Will Worker", "1", "1", "1", "30.0", "100 %", "4.0 (1)"]]
