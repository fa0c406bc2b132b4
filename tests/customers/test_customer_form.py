"""Adding and editing a customer: every field, errors beside fields, the duplicate warning, referrals."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from tests.factories import CustomerFactory, TagFactory

CREATE = reverse("customers:create")


def form_data(**overrides):
    data = {
        "name": "Mia Lane",
        "kind": "household",
        "company": "",
        "status": "active",
        "assigned_to": "",
        "phone": "",
        "alt_phone": "",
        "email": "",
        "preferred_contact": "any",
        "street": "",
        "town": "",
        "postcode": "",
        "access_notes": "",
        "key_points": "",
        "personality": "",
        "wants": "",
        "needs": "",
        "hard_needs": "",
        "soft_needs": "",
        "source": "",
        "referred_by": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["customers:create", "customers:edit", "trash:customer_delete", "customers:detail"])
def test_it_requires_login(client, db, name):
    url = reverse(name) if name == "customers:create" else reverse(name, args=[CustomerFactory().pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"/login/?next={url}"


def test_the_form_renders_every_section(worker_client):
    html = worker_client.get(CREATE).content.decode()

    for label in ["Who", "Contact", "Where", "Knowing them", "How they found us", "Soft needs", "Access notes",
                  "Keeping them", "Customer since", "Stay in touch every (days)", "Happy to be a reference",
                  "Happy to try new services"]:
        assert label in html


def test_creating_stores_every_profile_field(worker_client, worker):
    referrer = CustomerFactory(name="Ann Advocate")
    pool, vip = TagFactory(name="Pool"), TagFactory(name="VIP")

    response = worker_client.post(
        CREATE,
        form_data(
            name="Mia Lane",
            kind="business",
            company="Lane Bakery",
            status="lead",
            assigned_to=worker.pk,
            phone="(202) 555-0123",
            alt_phone="312.555.0177",
            email="mia@lane.example",
            preferred_contact="text",
            do_not_contact="on",
            street="1 Mill Lane",
            town="Springfield",
            postcode="62701",
            access_notes="Gate code 4321, dog in the yard",
            key_points="Big garden",
            personality="Chatty",
            wants="A tidy hedge",
            needs="Hedge cut twice a year",
            hard_needs="Cut to 1.5 m",
            soft_needs="Text before arriving",
            source="referral",
            referred_by=referrer.pk,
            tags=[pool.pk, vip.pk],
        ),
    )

    mia = Customer.objects.get(name="Mia Lane")
    assert response.status_code == 302 and response.url == mia.get_absolute_url()
    assert (mia.kind, mia.company, mia.status, mia.assigned_to) == ("business", "Lane Bakery", "lead", worker)
    assert (mia.phone.as_e164, mia.alt_phone.as_e164) == ("+12025550123", "+13125550177")
    assert (mia.phone_digits, mia.alt_phone_digits) == ("12025550123", "13125550177")
    assert (mia.email, mia.preferred_contact, mia.do_not_contact) == ("mia@lane.example", "text", True)
    assert (mia.street, mia.town, mia.postcode) == ("1 Mill Lane", "Springfield", "62701")
    assert mia.access_notes == "Gate code 4321, dog in the yard"
    assert (mia.key_points, mia.personality, mia.wants, mia.needs) == (
        "Big garden", "Chatty", "A tidy hedge", "Hedge cut twice a year"
    )
    assert (mia.hard_needs, mia.soft_needs) == ("Cut to 1.5 m", "Text before arriving")
    assert (mia.source, mia.referred_by) == ("referral", referrer)
    assert sorted(t.name for t in mia.tags.all()) == ["Pool", "VIP"]


def test_creating_stores_the_cadence_the_start_date_and_the_advocate_flags(worker_client):
    worker_client.post(CREATE, form_data(contact_every_days="30", customer_since="2019-04-01",
                                         happy_to_be_reference="on", happy_to_try_new="on"))

    mia = Customer.objects.get(name="Mia Lane")
    assert (mia.contact_every_days, mia.customer_since) == (30, datetime.date(2019, 4, 1))
    assert mia.happy_to_be_reference and mia.happy_to_try_new


def test_an_empty_customer_since_keeps_the_stored_date(worker_client):
    mia = CustomerFactory(name="Mia Lane", customer_since=datetime.date(2018, 5, 2), contact_every_days=14)

    worker_client.post(reverse("customers:edit", args=[mia.pk]),
                       form_data(customer_since="", contact_every_days="", version=mia.version))

    mia.refresh_from_db()
    assert (mia.customer_since, mia.contact_every_days) == (datetime.date(2018, 5, 2), None)


def test_a_customer_since_after_today_is_refused_beside_the_field(worker_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = worker_client.post(CREATE, form_data(customer_since=tomorrow.isoformat(), contact_every_days="0"))

    assert response.status_code == 200 and not Customer.objects.exists()
    assert "A customer cannot start after today." in response.context["form"].errors["customer_since"]
    assert "contact_every_days" in response.context["form"].errors


def test_an_invalid_form_keeps_what_was_typed_and_shows_the_error_beside_the_field(worker_client):
    response = worker_client.post(
        CREATE, form_data(name="", email="not-an-email", town="Springfield", soft_needs="Quiet please")
    )

    assert response.status_code == 200
    assert not Customer.objects.exists()
    html = response.content.decode()
    assert 'value="Springfield"' in html
    assert "Quiet please" in html
    assert 'value="not-an-email"' in html
    assert 'id="error_1_id_name"' in html
    assert 'id="error_1_id_email"' in html
    assert "Enter a valid email address." in html


def test_an_invalid_phone_shows_an_error_beside_the_phone(worker_client):
    response = worker_client.post(CREATE, form_data(phone="12345"))

    html = response.content.decode()
    assert not Customer.objects.exists()
    assert 'id="error_1_id_phone"' in html
    assert 'value="12345"' in html


def test_a_phone_already_on_file_warns_with_a_link_and_saves_nothing_the_first_time(worker_client):
    existing = CustomerFactory(name="Ann Original", phone="+12025550123")

    response = worker_client.post(CREATE, form_data(name="Ann Again", phone="202-555-0123", town="Dover"))

    assert response.status_code == 200
    assert Customer.objects.count() == 1
    html = response.content.decode()
    assert "This may be someone you already have" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert 'value="Ann Again"' in html and 'value="Dover"' in html
    assert "Save anyway" in html


def test_an_email_already_on_file_warns_without_regard_to_case(worker_client):
    existing = CustomerFactory(name="Ann Original", email="ann@example.com")

    response = worker_client.post(CREATE, form_data(name="Ann Again", email="ANN@example.com"))

    assert Customer.objects.count() == 1
    assert f'href="{existing.get_absolute_url()}"' in response.content.decode()


def test_saving_again_after_the_warning_adds_the_customer(worker_client):
    CustomerFactory(name="Ann Original", phone="+12025550123")
    first = worker_client.post(CREATE, form_data(name="Ann Again", phone="202-555-0123", town="Dover"))
    confirmation = re.search(r'name="confirm_duplicate" value="([^"]*)"', first.content.decode()).group(1)

    response = worker_client.post(
        CREATE, form_data(name="Ann Again", phone="202-555-0123", town="Dover", confirm_duplicate=confirmation)
    )

    assert response.status_code == 302
    again = Customer.objects.get(name="Ann Again")
    assert (again.town, again.phone_digits) == ("Dover", "12025550123")


def test_the_warning_comes_again_when_the_phone_changes_to_another_customers(worker_client):
    ann = CustomerFactory(name="Ann", phone="+12025550123")
    bob = CustomerFactory(name="Bob", phone="+13125550177")

    # The user was warned about Ann, then changed the number to Bob's.
    response = worker_client.post(CREATE, form_data(name="New", phone="312-555-0177", confirm_duplicate=str(ann.pk)))

    assert response.status_code == 200
    assert Customer.objects.count() == 2
    assert f'href="{bob.get_absolute_url()}"' in response.content.decode()


def test_the_live_warning_carries_the_confirmation_so_one_save_is_enough(worker_client):
    ann = CustomerFactory(name="Ann", phone="+12025550123")
    live = worker_client.get(reverse("customers:check_duplicates"), {"phone": "202 555 0123"}).content.decode()
    assert f'name="confirm_duplicate" value="{ann.pk}"' in live

    response = worker_client.post(CREATE, form_data(name="New", phone="202 555 0123", confirm_duplicate=str(ann.pk)))

    assert response.status_code == 302
    assert Customer.objects.filter(name="New").exists()


def test_the_live_check_warns_about_a_phone_on_file(worker_client):
    existing = CustomerFactory(name="Ann Original", phone="+12025550123")

    response = worker_client.get(reverse("customers:check_duplicates"), {"phone": "(202) 555-0123", "email": ""})

    html = response.content.decode()
    assert "This may be someone you already have" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert "<html" not in html


def test_the_live_check_ignores_the_customer_being_edited(worker_client):
    existing = CustomerFactory(name="Ann Original", phone="+12025550123")

    response = worker_client.get(
        reverse("customers:check_duplicates"), {"phone": "2025550123", "exclude": existing.pk}
    )

    assert "already have" not in response.content.decode()


def test_the_live_check_is_quiet_for_a_new_number(worker_client):
    CustomerFactory(name="Ann Original", phone="+12025550123")

    response = worker_client.get(reverse("customers:check_duplicates"), {"phone": "312 555 0177", "email": "x@y.z"})

    assert response.content.decode().strip() == ""


def test_a_referral_link_prefills_the_referrer(worker_client):
    referrer = CustomerFactory(name="Ann Advocate")

    response = worker_client.get(CREATE, {"referred_by": referrer.pk})

    html = response.content.decode()
    assert f'name="referred_by" value="{referrer.pk}"' in html
    assert "Chosen: Ann Advocate" in html
    assert response.context["form"]["source"].value() == "referral"


def test_the_picker_finds_customers_by_name_or_phone(worker_client):
    ann = CustomerFactory(name="Ann Advocate", phone="+12025550123")
    CustomerFactory(name="Bob Brown", phone="+13125550177")

    by_name = worker_client.get(reverse("customers:picker"), {"q": "adv"}).content.decode()
    by_phone = worker_client.get(reverse("customers:picker"), {"q": "555 01"}).content.decode()

    assert f'data-picker-choice="{ann.pk}"' in by_name and "Bob Brown" not in by_name
    assert "Ann Advocate" in by_phone and "Bob Brown" in by_phone


def test_the_picker_waits_for_two_characters_and_says_when_nothing_matches(worker_client):
    CustomerFactory(name="Ann Advocate")

    assert "Ann" not in worker_client.get(reverse("customers:picker"), {"q": "a"}).content.decode()
    assert "No match" in worker_client.get(reverse("customers:picker"), {"q": "zz"}).content.decode()


def test_editing_saves_the_changes(worker_client):
    mia = CustomerFactory(name="Mia Lane", phone="+12025550123", town="Dover")
    url = reverse("customers:edit", args=[mia.pk])
    data = form_data(name="Mia Lane-Smith", phone="(202) 555-0123", town="Dover", soft_needs="Call first",
                     version=mia.version)

    response = worker_client.post(url, data)

    assert response.status_code == 302
    mia.refresh_from_db()
    assert (mia.name, mia.soft_needs, mia.sort_name) == ("Mia Lane-Smith", "Call first", "mia lane-smith")


def test_editing_does_not_warn_about_the_customers_own_phone(worker_client):
    mia = CustomerFactory(name="Mia Lane", phone="+12025550123", email="mia@example.com")

    response = worker_client.post(
        reverse("customers:edit", args=[mia.pk]),
        form_data(name="Mia", phone="202 555 0123", email="mia@example.com", version=mia.version),
    )

    assert response.status_code == 302


def test_the_edit_form_shows_the_stored_values(worker_client):
    referrer = CustomerFactory(name="Ann Advocate")
    mia = CustomerFactory(name="Mia Lane", phone="+12025550123", referred_by=referrer, access_notes="Gate 4321")

    html = worker_client.get(reverse("customers:edit", args=[mia.pk])).content.decode()

    assert 'value="Mia Lane"' in html
    assert "Gate 4321" in html
    assert "Chosen: Ann Advocate" in html


def test_a_customer_cannot_be_their_own_referrer_through_the_form(worker_client):
    mia = CustomerFactory(name="Mia Lane")

    response = worker_client.post(reverse("customers:edit", args=[mia.pk]), form_data(referred_by=mia.pk))

    assert response.status_code == 200
    assert 'id="error_1_id_referred_by"' in response.content.decode()
    mia.refresh_from_db()
    assert mia.referred_by is None


def test_the_picker_on_an_edit_form_never_offers_the_customer_being_edited(worker_client):
    mia = CustomerFactory(name="Mia Lane")
    CustomerFactory(name="Mia Other")

    form_html = worker_client.get(reverse("customers:edit", args=[mia.pk])).content.decode()
    picker_html = worker_client.get(reverse("customers:picker"), {"q": "mia", "exclude": mia.pk}).content.decode()

    assert f'{reverse("customers:picker")}?exclude={mia.pk}' in form_html
    assert "Mia Other" in picker_html
    assert f'data-picker-choice="{mia.pk}"' not in picker_html


def test_the_edit_form_checks_duplicates_as_you_type_excluding_itself(worker_client):
    mia = CustomerFactory(name="Mia Lane")

    html = worker_client.get(reverse("customers:edit", args=[mia.pk])).content.decode()

    assert f'hx-get="{reverse("customers:check_duplicates")}?exclude={mia.pk}"' in html
    assert 'hx-include="#id_phone, #id_alt_phone, #id_email"' in html


def test_the_form_has_a_single_csrf_token(worker_client):
    html = worker_client.get(CREATE).content.decode()

    customer_form = html.split('class="customer-form"')[1].split("</form>")[0]
    assert customer_form.count('name="csrfmiddlewaretoken"') == 1


@pytest.mark.parametrize("name", ["check_duplicates", "picker"])
def test_the_helper_endpoints_require_login(client, db, name):
    CustomerFactory(name="Ann Original", phone="+12025550123")
    url = reverse(f"customers:{name}")

    response = client.get(url, {"q": "ann", "phone": "2025550123"})

    assert response.status_code == 302 and response.url.startswith(f"/login/?next={url}")
    assert "Ann Original" not in response.content.decode()
