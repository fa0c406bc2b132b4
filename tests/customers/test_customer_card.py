"""The customer card: everything about one customer on one page."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory


def card(client, customer):
    return client.get(reverse("customers:detail", args=[customer.pk]))


def test_it_shows_the_profile_needs_and_access_notes(worker_client):
    mia = CustomerFactory(
        name="Mia Lane",
        company="Lane Bakery",
        kind="business",
        email="mia@lane.example",
        wants="A tidy hedge",
        needs="Hedge cut twice a year",
        hard_needs="Cut to 1.5 m",
        soft_needs="Text before arriving",
        access_notes="Gate code 4321",
        key_points="Big garden",
        personality="Chatty",
        tags=[TagFactory(name="Hedges")],
    )

    html = card(worker_client, mia).content.decode()

    for text in ["Mia Lane", "Lane Bakery", "Business", "A tidy hedge", "Hedge cut twice a year", "Cut to 1.5 m",
                 "Text before arriving", "Gate code 4321", "Big garden", "Chatty", "Hedges"]:
        assert text in html, text


def test_it_links_to_a_map_and_to_call_text_and_email(worker_client):
    mia = CustomerFactory(
        phone="+12025550123", alt_phone="+13125550177", email="mia@lane.example",
        street="1 Mill Lane", town="Springfield", postcode="62701",
    )

    html = card(worker_client, mia).content.decode()

    assert 'href="https://www.google.com/maps/search/?api=1&amp;query=1+Mill+Lane%2C+Springfield%2C+62701"' in html
    assert 'href="tel:+12025550123"' in html
    assert 'href="sms:+12025550123"' in html
    assert 'href="tel:+13125550177"' in html
    assert 'href="mailto:mia@lane.example"' in html


def test_it_says_when_there_is_no_address_or_phone(worker_client):
    mia = CustomerFactory(phone="", street="", town="", email="")

    html = card(worker_client, mia).content.decode()

    assert "No address yet." in html
    assert "tel:" not in html and "mailto:" not in html


def test_open_followups_come_before_done_ones_soonest_first(worker_client, worker):
    mia = CustomerFactory()
    today = timezone.localdate()
    FollowUpFactory(customer=mia, description="Later call", due_date=today + datetime.timedelta(days=5))
    FollowUpFactory(customer=mia, description="Overdue call", due_date=today - datetime.timedelta(days=2))
    FollowUpFactory(customer=mia, description="Finished call", done_at=timezone.now(), outcome="Booked")

    html = card(worker_client, mia).content.decode()

    assert html.index("Overdue call") < html.index("Later call") < html.index("Finished call")
    assert "followup-overdue" in html
    assert "Booked" in html


def test_interactions_are_newest_first(worker_client):
    mia = CustomerFactory()
    now = timezone.now()
    InteractionFactory(customer=mia, asked_for="Old request", occurred_at=now - datetime.timedelta(days=30))
    InteractionFactory(customer=mia, asked_for="New request", occurred_at=now - datetime.timedelta(hours=1))
    InteractionFactory(customer=mia, asked_for="Middle request", occurred_at=now - datetime.timedelta(days=3))

    html = card(worker_client, mia).content.decode()

    assert html.index("New request") < html.index("Middle request") < html.index("Old request")


def test_it_lists_the_customers_they_referred_and_who_referred_them(worker_client):
    ann = CustomerFactory(name="Ann Advocate")
    mia = CustomerFactory(name="Mia Lane", referred_by=ann, source="referral")
    CustomerFactory(name="Zed Friend", referred_by=mia)
    CustomerFactory(name="Bob Friend", referred_by=mia)

    html = card(worker_client, mia).content.decode()

    assert f'referred by <a href="{ann.get_absolute_url()}">Ann Advocate</a>' in html
    referred = html[html.index("Customers they referred"):]
    assert referred.index("Bob Friend") < referred.index("Zed Friend")
    assert f"{reverse('customers:create')}?referred_by={mia.pk}" in html


def test_a_field_worker_sees_no_amounts(worker_client):
    mia = CustomerFactory()
    InteractionFactory(customer=mia, amount_charged=Decimal("120.00"), amount_refunded=Decimal("20.00"))

    html = card(worker_client, mia).content.decode()

    assert "Charged" not in html and "120.00" not in html
    assert "Refunded" not in html


def test_the_owner_sees_amounts(owner_client):
    mia = CustomerFactory()
    InteractionFactory(customer=mia, amount_charged=Decimal("120.00"), amount_refunded=Decimal("20.00"))

    html = card(owner_client, mia).content.decode()

    assert "Charged 120.00" in html
    assert "Refunded 20.00" in html


def test_only_the_owner_is_offered_delete(client, worker, owner):
    mia = CustomerFactory()
    delete_url = reverse("trash:customer_delete", args=[mia.pk])

    client.force_login(worker)
    assert delete_url not in card(client, mia).content.decode()
    client.force_login(owner)
    assert delete_url in card(client, mia).content.decode()


def test_a_missing_customer_is_a_404_in_the_apps_style(worker_client):
    response = worker_client.get(reverse("customers:detail", args=[999999]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that" in html
    assert 'aria-label="Main"' in html  # the app's navigation bar
    assert reverse("customers:list") in html


def test_edit_and_delete_of_a_missing_customer_are_404s(owner_client):
    for name in ("customers:edit", "trash:customer_delete"):
        response = owner_client.get(reverse(name, args=[999999]))
        assert response.status_code == 404
        assert "We couldn't find that" in response.content.decode()


def test_times_are_shown_in_the_users_time_zone(client, worker):
    worker.time_zone = "Pacific/Auckland"
    worker.save(update_fields=["time_zone"])
    client.force_login(worker)
    mia = CustomerFactory()
    # 20:00 UTC on 15 January is 09:00 on the 16th in Auckland (NZDT, UTC+13).
    InteractionFactory(customer=mia, occurred_at=datetime.datetime(2026, 1, 15, 20, 0, tzinfo=datetime.UTC))

    html = card(client, mia).content.decode()

    assert "Fri 16 Jan 2026, 09:00" in html
    assert "Thu 15 Jan 2026, 20:00" not in html


def test_times_are_in_utc_for_a_user_in_utc(worker_client):
    mia = CustomerFactory()
    InteractionFactory(customer=mia, occurred_at=datetime.datetime(2026, 1, 15, 20, 0, tzinfo=datetime.UTC))

    assert "Thu 15 Jan 2026, 20:00" in card(worker_client, mia).content.decode()


def test_opening_a_card_remembers_it_for_the_quick_bar(worker_client):
    mia = CustomerFactory(name="Mia Lane")
    card(worker_client, mia)

    html = worker_client.get(reverse("customers:list")).content.decode()

    quick = html[html.index('aria-label="Quick"'):]
    assert f'href="{mia.get_absolute_url()}"' in quick
