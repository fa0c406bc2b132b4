import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from followups.models import FollowUp
from interactions.models import Interaction
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, UserFactory

NOW = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def customer():
    return CustomerFactory(name="Ada Lovelace")


def checklist(**overrides):
    """Everything the checklist asks, as the form posts it."""
    data = {
        "channel": "call",
        "direction": "inbound",
        "occurred_at": "2026-03-10T13:45",
        "duration_seconds": "4:30",
        "asked_for": "A quote for trimming the hedge",
        "attitude": "2",
        "attitude_note": "Annoyed we were late last time",
        "we_said_did": "Apologised, promised a quote by Thursday",
        "could_do_better": "Ring ahead when we run late",
        "asked_for_sale": "on",
        "asked_for_referral": "on",
        "more_services_ideas": "Gutter cleaning in the autumn",
        "resolved_first_contact": "",
        "followup_description": "Send the hedge quote",
        "followup_due": "2026-03-12",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def create_url(customer):
    return reverse("interactions:create", args=[customer.pk])


# Login


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        ("interactions:create", "customer"),
        ("interactions:edit", "interaction"),
        ("interactions:delete", "interaction"),
        ("followups:create", "customer"),
        ("followups:edit", "followup"),
        ("followups:done", "followup"),
        ("followups:try_again", "followup"),
        ("followups:reopen", "followup"),
    ],
)
def test_it_requires_login(client, name, needs):
    followup = FollowUpFactory()
    interaction = InteractionFactory(customer=followup.customer)
    pk = {"customer": followup.customer_id, "interaction": interaction.pk, "followup": followup.pk}[needs]
    url = reverse(name, args=[pk])

    for response in (client.get(url), client.post(url, checklist())):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    assert Interaction.objects.count() == 1
    assert FollowUp.objects.get().done_at is None


# Logging a call


def test_the_form_starts_with_a_call_they_made_now_and_a_call_timer(owner_client, customer):
    with time_machine.travel(NOW, tick=False):
        response = owner_client.get(create_url(customer) + "?channel=call")

    form = response.context["form"]
    assert form["channel"].value() == "call"
    assert form["direction"].value() == "inbound"
    assert form["occurred_at"].value() == datetime.datetime(2026, 3, 10, 14, 0)
    assert form["followup_assignee"].value() == response.context["user"].pk
    html = response.content.decode()
    assert 'data-call-timer' in html
    assert 'name="duration_seconds"' in html and "data-call-timer-target" in html
    assert 'value="2026-03-10T14:00"' in html


def test_a_visit_defaults_to_us_going_to_them(owner_client, customer):
    response = owner_client.get(create_url(customer) + "?channel=visit")

    assert response.context["form"]["channel"].value() == "visit"
    assert response.context["form"]["direction"].value() == "outbound"


def test_the_followup_is_in_the_main_part_and_the_optional_questions_are_folded(owner_client, customer):
    html = owner_client.get(create_url(customer)).content.decode()

    folded = html[html.index("<details"):html.index("</details>")]
    assert 'name="followup_description"' not in folded
    assert 'name="followup_due"' not in folded
    assert 'name="asked_for"' not in folded
    assert 'name="could_do_better"' in folded
    assert 'name="more_services_ideas"' in folded
    assert "<details class=\"mb-3 checklist-more\">" in html  # closed on a fresh form


def test_a_call_is_logged_with_the_whole_checklist_and_a_followup(owner_client, owner, customer):
    response = owner_client.post(create_url(customer), checklist())

    assert response.status_code == 302
    assert response.url == customer.get_absolute_url()
    interaction = Interaction.objects.get()
    assert interaction.customer == customer
    assert interaction.user == owner
    assert interaction.channel == "call"
    assert interaction.direction == "inbound"
    assert interaction.occurred_at == datetime.datetime(2026, 3, 10, 13, 45, tzinfo=datetime.UTC)
    assert interaction.duration_seconds == 270
    assert interaction.asked_for == "A quote for trimming the hedge"
    assert interaction.attitude == 2
    assert interaction.attitude_note == "Annoyed we were late last time"
    assert interaction.we_said_did == "Apologised, promised a quote by Thursday"
    assert interaction.could_do_better == "Ring ahead when we run late"
    assert interaction.asked_for_sale is True
    assert interaction.asked_for_referral is True
    assert interaction.more_services_ideas == "Gutter cleaning in the autumn"
    assert interaction.resolved_first_contact is False
    followup = FollowUp.objects.get()
    assert followup.description == "Send the hedge quote"
    assert followup.due_date == datetime.date(2026, 3, 12)
    assert followup.assigned_to == owner
    assert followup.interaction == interaction


def test_the_logged_call_shows_on_the_card_and_on_today(owner_client, customer):
    with time_machine.travel(NOW, tick=False):
        owner_client.post(create_url(customer), checklist(followup_due="2026-03-10"))
        card = owner_client.get(customer.get_absolute_url()).content.decode()
        today = owner_client.get(reverse("today")).content.decode()

    for text in ["A quote for trimming the hedge", "Unhappy", "Annoyed we were late last time",
                 "Apologised, promised a quote by Thursday", "Ring ahead when we run late",
                 "Gutter cleaning in the autumn", "Asked for a sale", "Asked for a referral", "4:30",
                 "Send the hedge quote"]:
        assert text in card
    assert "Resolved first time" not in card
    assert "Send the hedge quote" in today
    assert "A quote for trimming the hedge" in today


def test_the_followup_can_go_to_someone_else(owner_client, worker, customer):
    owner_client.post(create_url(customer), checklist(followup_assignee=str(worker.pk)))

    assert FollowUp.objects.get().assigned_to == worker


def test_a_call_without_a_followup_stores_none(owner_client, customer):
    response = owner_client.post(create_url(customer), checklist(followup_description="", followup_due=""))

    assert response.status_code == 302
    assert Interaction.objects.count() == 1
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("4:30", 270), ("5", 300), ("2.5", 150), ("2,5", 150), ("1:02:03", 3723), ("0:07", 7), ("", None)],
)
def test_the_duration_is_typed_as_minutes_or_minutes_and_seconds(owner_client, customer, typed, seconds):
    owner_client.post(create_url(customer), checklist(duration_seconds=typed))

    assert Interaction.objects.get().duration_seconds == seconds


@pytest.mark.parametrize("typed", ["-3", "abc", "4:75", "1:2:3:4", "nan"])
def test_a_duration_that_is_not_a_time_is_refused_beside_the_field(owner_client, customer, typed):
    response = owner_client.post(create_url(customer), checklist(duration_seconds=typed))

    assert response.status_code == 200
    assert "duration_seconds" in response.context["form"].errors
    assert Interaction.objects.count() == 0


def test_when_is_read_in_the_users_time_zone(client, customer):
    user = UserFactory(username="aroha", time_zone="Pacific/Auckland")
    client.force_login(user)

    client.post(create_url(customer), checklist(occurred_at="2026-03-11T09:15"))

    # 09:15 on 11 March in Auckland (UTC+13) is 20:15 on 10 March in UTC.
    assert Interaction.objects.get().occurred_at == datetime.datetime(2026, 3, 10, 20, 15, tzinfo=datetime.UTC)


def test_when_is_shown_in_the_users_time_zone(client, customer):
    user = UserFactory(username="aroha", time_zone="Pacific/Auckland")
    interaction = InteractionFactory(customer=customer, user=user,
                                     occurred_at=datetime.datetime(2026, 3, 10, 20, 15, tzinfo=datetime.UTC))
    client.force_login(user)

    html = client.get(reverse("interactions:edit", args=[interaction.pk])).content.decode()

    assert 'value="2026-03-11T09:15"' in html


def test_a_followup_without_a_date_is_refused_beside_the_date_and_nothing_typed_is_lost(owner_client, customer):
    response = owner_client.post(create_url(customer), checklist(followup_due="", amount_charged="120.50"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"followup_due": ["Say when the follow-up is due."]}
    html = response.content.decode()
    due_block = html[html.index('id="div_id_followup_due"'):html.index('id="div_id_followup_assignee"')]
    assert "Say when the follow-up is due." in due_block
    assert 'value="Send the hedge quote"' in html
    assert "A quote for trimming the hedge</textarea>" in html
    assert "Ring ahead when we run late</textarea>" in html
    assert 'value="Annoyed we were late last time"' in html
    assert 'value="4:30"' in html
    assert 'value="120.50"' in html
    assert 'value="2026-03-10T13:45"' in html
    assert 'name="attitude" id="id_attitude_2" value="2" autocomplete="off" checked' in html
    assert 'name="channel" id="id_channel_0" value="call" autocomplete="off" checked' in html
    assert 'id="id_asked_for_sale" checked' in html
    assert Interaction.objects.count() == 0
    assert FollowUp.objects.count() == 0


def test_a_date_without_a_followup_text_is_refused(owner_client, customer):
    response = owner_client.post(create_url(customer), checklist(followup_description="  "))

    assert "followup_description" in response.context["form"].errors
    assert Interaction.objects.count() == 0


def test_an_error_in_the_folded_part_unfolds_it(owner_client, customer):
    response = owner_client.post(create_url(customer), checklist(could_do_better="", more_services_ideas="",
                                                                 asked_for_sale="", asked_for_referral="",
                                                                 amount_charged="-5"))

    html = response.content.decode()
    assert "amount_charged" in response.context["form"].errors
    assert '<details class="mb-3 checklist-more" open>' in html
    assert "Ensure this value is greater than or equal to 0." in html


def test_a_ticked_box_in_the_folded_part_stays_visible_after_an_error(owner_client, customer):
    response = owner_client.post(create_url(customer), checklist(could_do_better="", more_services_ideas="",
                                                                 followup_due=""))

    assert '<details class="mb-3 checklist-more" open>' in response.content.decode()


def test_a_missing_customer_is_a_404_page_in_the_apps_style(owner_client):
    response = owner_client.get(reverse("interactions:create", args=[999999]))

    assert response.status_code == 404
    assert "We couldn't find that" in response.content.decode()


# Money


def test_the_owner_enters_amounts_and_sees_them_on_the_card(owner_client, customer):
    owner_client.post(create_url(customer), checklist(amount_charged="120.50", amount_refunded="20"))

    interaction = Interaction.objects.get()
    assert interaction.amount_charged == Decimal("120.50")
    assert interaction.amount_refunded == Decimal("20.00")
    card = owner_client.get(customer.get_absolute_url()).content.decode()
    assert "Charged 120.50" in card
    assert "Refunded 20.00" in card


def test_the_owner_may_leave_the_amounts_empty(owner_client, customer):
    response = owner_client.post(create_url(customer), checklist(amount_charged="", amount_refunded=""))

    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.amount_charged == 0
    assert interaction.amount_refunded == 0


def test_a_field_workers_form_has_no_amount_fields(worker_client, customer):
    html = worker_client.get(create_url(customer)).content.decode()

    assert "amount_charged" not in html
    assert "amount_refunded" not in html
    assert "Amount" not in html


def test_a_field_worker_cannot_post_an_amount(worker_client, worker, customer):
    response = worker_client.post(create_url(customer), checklist(amount_charged="500", amount_refunded="50"))

    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.user == worker
    assert interaction.amount_charged == 0
    assert interaction.amount_refunded == 0


def test_a_field_worker_editing_leaves_the_amounts_alone(worker_client, worker):
    interaction = InteractionFactory(user=worker, amount_charged=Decimal("80.00"), amount_refunded=Decimal("5.00"))

    response = worker_client.post(reverse("interactions:edit", args=[interaction.pk]),
                                  checklist(asked_for="Changed by the worker", amount_charged="0", amount_refunded="0",
                                            version=interaction.version))

    assert response.status_code == 302
    interaction.refresh_from_db()
    assert interaction.asked_for == "Changed by the worker"
    assert interaction.amount_charged == Decimal("80.00")
    assert interaction.amount_refunded == Decimal("5.00")


def test_a_field_worker_sees_no_money_on_the_card_or_today(worker_client, worker, customer):
    InteractionFactory(customer=customer, user=worker, amount_charged=Decimal("123.45"),
                       amount_refunded=Decimal("67.89"))

    card = worker_client.get(customer.get_absolute_url()).content.decode()
    today = worker_client.get(reverse("today")).content.decode()

    for page in (card, today):
        assert "123.45" not in page
        assert "67.89" not in page
        assert "Charged" not in page
        assert "Refunded" not in page


# Edit and delete


def test_the_edit_form_shows_what_was_stored(owner_client, owner):
    interaction = InteractionFactory(user=owner, duration_seconds=3723, asked_for="Hedge", attitude=5)

    response = owner_client.get(reverse("interactions:edit", args=[interaction.pk]))

    form = response.context["form"]
    assert form["asked_for"].value() == "Hedge"
    assert form["attitude"].value() == 5
    assert 'value="1:02:03"' in response.content.decode()
    assert "followup_description" not in form.fields


def test_the_owner_edits_anyones_interaction(owner_client, worker):
    interaction = InteractionFactory(user=worker, duration_seconds=60)

    response = owner_client.post(reverse("interactions:edit", args=[interaction.pk]),
                                 checklist(asked_for="Corrected", duration_seconds="", amount_charged="45",
                                           version=interaction.version))

    assert response.status_code == 302
    assert response.url == interaction.customer.get_absolute_url()
    interaction.refresh_from_db()
    assert interaction.asked_for == "Corrected"
    assert interaction.duration_seconds is None
    assert interaction.amount_charged == Decimal("45.00")
    assert interaction.user == worker
    assert FollowUp.objects.count() == 0


def test_an_invalid_edit_keeps_what_was_typed_and_stores_nothing(owner_client, owner):
    interaction = InteractionFactory(user=owner, asked_for="Before")

    response = owner_client.post(reverse("interactions:edit", args=[interaction.pk]),
                                 checklist(asked_for="After", attitude="9"))

    assert response.status_code == 200
    assert "attitude" in response.context["form"].errors
    assert "After</textarea>" in response.content.decode()
    interaction.refresh_from_db()
    assert interaction.asked_for == "Before"


def test_delete_asks_first_then_deletes(owner_client, owner):
    interaction = InteractionFactory(user=owner)
    url = reverse("interactions:delete", args=[interaction.pk])

    page = owner_client.get(url)

    assert page.status_code == 200
    assert "Delete this interaction?" in page.content.decode()
    assert "A quote for the hedge" in page.content.decode()
    assert Interaction.objects.filter(pk=interaction.pk).exists()

    response = owner_client.post(url)

    assert response.status_code == 302
    assert response.url == interaction.customer.get_absolute_url()
    assert not Interaction.objects.filter(pk=interaction.pk).exists()


def test_a_field_worker_cannot_edit_or_delete_someone_elses_interaction(worker_client, owner):
    interaction = InteractionFactory(user=owner, asked_for="The owner's notes")
    edit = reverse("interactions:edit", args=[interaction.pk])
    delete = reverse("interactions:delete", args=[interaction.pk])

    responses = [worker_client.get(edit), worker_client.post(edit, checklist(asked_for="Overwritten")),
                 worker_client.get(delete), worker_client.post(delete)]

    for response in responses:
        assert response.status_code == 403
        assert "That is not for your account" in response.content.decode()
    interaction.refresh_from_db()
    assert interaction.asked_for == "The owner's notes"


def test_the_card_offers_edit_and_delete_only_where_allowed(worker_client, worker, owner, customer):
    mine = InteractionFactory(customer=customer, user=worker)
    theirs = InteractionFactory(customer=customer, user=owner)

    card = worker_client.get(customer.get_absolute_url()).content.decode()

    assert reverse("interactions:edit", args=[mine.pk]) in card
    assert reverse("interactions:edit", args=[theirs.pk]) not in card


def test_a_field_worker_edits_and_deletes_their_own_interaction(worker_client, worker):
    interaction = InteractionFactory(user=worker)

    edited = worker_client.post(reverse("interactions:edit", args=[interaction.pk]), checklist(asked_for="Mine", version=interaction.version))
    interaction.refresh_from_db()
    deleted = worker_client.post(reverse("interactions:delete", args=[interaction.pk]))

    assert edited.status_code == 302
    assert interaction.asked_for == "Mine"
    assert deleted.status_code == 302
    assert not Interaction.objects.exists()


def test_when_defaults_to_now_in_the_users_time_zone(client, customer):
    client.force_login(UserFactory(username="aroha", time_zone="Pacific/Auckland"))

    with time_machine.travel(NOW, tick=False):
        html = client.get(create_url(customer)).content.decode()

    # 14:00 UTC on 10 March is 03:00 on 11 March in Auckland.
    assert 'name="occurred_at" value="2026-03-11T03:00"' in html


def test_the_log_form_offers_one_tap_follow_up_dates(owner_client, customer):
    html = owner_client.get(create_url(customer)).content.decode()

    assert 'data-quick-date="7" data-quick-date-for="id_followup_due"' in html
    assert "followups/quick_dates.js" in html
    form = html[html.index('<form method="post" novalidate class="interaction-form">'):]
    assert form[:form.index("</form>")].count('name="csrfmiddlewaretoken"') == 1
