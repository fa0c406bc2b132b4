"""Two people edit one customer: a save from a form opened before the other's save is refused and explained."""

import datetime

import pytest
from django.urls import reverse

from customers.models import Customer
from tests.customers.test_customer_form import form_data
from tests.factories import CustomerFactory, TagFactory, UserFactory
from tests.versions.conftest import html_of, text_of, version_in

pytestmark = [pytest.mark.django_db, pytest.mark.clock(datetime.datetime(2026, 2, 10, 9, 42, tzinfo=datetime.UTC))]

OLD_PHONE, NEW_PHONE = "+12025550123", "+12025550199"


@pytest.fixture
def mia(db):
    return CustomerFactory(name="Mia Lane", phone=OLD_PHONE, email="mia@example.com", street="", town="Dover")


@pytest.fixture
def ben(db):
    # B reads times in Paris: A's save at 09:42 UTC is "10:42" for him.
    return UserFactory(username="ben", first_name="Ben", last_name="Baker", role="field_worker",
                       time_zone="Europe/Paris")


def mia_form(**overrides):
    return form_data(**{"name": "Mia Lane", "phone": "(202) 555-0123", "email": "mia@example.com", "town": "Dover",
                        **overrides})


def edit_url(customer):
    return reverse("customers:edit", args=[customer.pk])


@pytest.fixture
def b_refused(mia, owner, ben, client_for):
    """A (Olivia) saves a new phone; then B (Ben) saves a note from the form he opened before: his answer."""
    a, b = client_for(owner), client_for(ben)
    a_version, b_version = version_in(a.get(edit_url(mia))), version_in(b.get(edit_url(mia)))

    saved = a.post(edit_url(mia), mia_form(phone="(202) 555-0199", version=a_version))
    assert saved.status_code == 302

    return b, b.post(edit_url(mia), mia_form(soft_needs="Ring twice, she is hard of hearing", version=b_version))


def test_the_stale_save_is_refused_and_stores_nothing(b_refused, mia):
    _b, response = b_refused

    assert response.status_code == 200
    stored = Customer.objects.get(pk=mia.pk)
    assert stored.phone.as_e164 == NEW_PHONE
    assert stored.soft_needs == ""
    assert stored.version == 2


def test_the_refusal_shows_their_phone_beside_the_field_with_who_and_when(b_refused):
    _b, response = b_refused
    page = text_of(response)

    assert "Not saved yet: Olivia Owner saved a change at 10:42 after you opened this form." in page
    assert "Changed by Olivia Owner at 10:42: (202) 555-0199" in page
    # The list of differences names both: their phone, and the note only Ben typed (not attributed to Olivia).
    assert "Phone: saved (202) 555-0199 (changed by Olivia Owner) — yours (202) 555-0123" in page
    assert "Soft needs: saved (empty) — yours Ring twice" in page


def test_the_refusal_keeps_everything_b_typed(b_refused):
    _b, response = b_refused
    page = html_of(response)

    assert "Ring twice, she is hard of hearing</textarea>" in page
    assert 'name="phone" value="(202) 555-0123"' in page


def test_keep_mine_saves_b_form_as_he_saw_it_over_theirs(b_refused, mia):
    b, response = b_refused

    # "Keep mine" sends the form again as it stands: it now carries the version B has seen.
    again = b.post(edit_url(mia), mia_form(soft_needs="Ring twice, she is hard of hearing",
                                           version=version_in(response), keep_mine="1"))

    assert again.status_code == 302
    stored = Customer.objects.get(pk=mia.pk)
    assert stored.soft_needs == "Ring twice, she is hard of hearing"
    # Every field of B's form wins, the phone he was shown included: that is what "Keep mine" says it does.
    assert stored.phone.as_e164 == OLD_PHONE
    assert stored.version == 3


def test_take_theirs_reloads_the_saved_values_and_drops_what_b_typed(b_refused, mia):
    b, response = b_refused
    assert f'href="{edit_url(mia)}">Take theirs</a>' in response.content.decode()

    page = html_of(b.get(edit_url(mia)))

    assert 'name="phone" value="(202) 555-0199"' in page
    assert "Ring twice" not in page
    assert "Not saved yet" not in page


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "1.0", "9" * 40, "٣"])
def test_a_form_without_a_usable_version_is_refused_with_a_clear_message(worker_client, mia, version):
    data = mia_form(soft_needs="Typed without a version")
    if version is not None:
        data["version"] = version

    response = worker_client.post(edit_url(mia), data)

    assert response.status_code == 200
    assert "Not saved yet: this form did not say which version it was opened from" in text_of(response)
    assert "Typed without a version</textarea>" in html_of(response)
    assert Customer.objects.get(pk=mia.pk).soft_needs == ""
    # Sent again from that page (which now carries the stored version), it saves.
    assert worker_client.post(edit_url(mia), {**data, "version": version_in(response)}).status_code == 302
    assert Customer.objects.get(pk=mia.pk).soft_needs == "Typed without a version"


def test_a_stale_form_holding_what_is_stored_now_saves_without_asking(mia, owner, ben, client_for):
    a, b = client_for(owner), client_for(ben)
    b_version = version_in(b.get(edit_url(mia)))
    a.post(edit_url(mia), mia_form(town="Deal", version=version_in(a.get(edit_url(mia)))))

    # B made the same change: nothing of hers would be undone, so there is nothing to choose.
    response = b.post(edit_url(mia), mia_form(town="Deal", version=b_version))

    assert response.status_code == 302
    assert Customer.objects.get(pk=mia.pk).town == "Deal"


def test_each_save_bumps_the_version(worker_client, mia):
    worker_client.post(edit_url(mia), mia_form(town="Deal", version="1"))
    worker_client.post(edit_url(mia), mia_form(town="Dover", version="2"))

    assert Customer.objects.get(pk=mia.pk).version == 3
    assert version_in(worker_client.get(edit_url(mia))) == "3"


def test_a_change_of_tags_alone_is_a_save_an_open_form_notices(worker_client, mia, owner, client_for):
    vip = TagFactory(name="VIP")
    stale_version = version_in(worker_client.get(edit_url(mia)))

    client_for(owner).post(edit_url(mia), mia_form(tags=[vip.pk], version=stale_version))
    refused = worker_client.post(edit_url(mia), mia_form(town="Deal", version=stale_version))

    assert Customer.objects.get(pk=mia.pk).version == 2
    assert refused.status_code == 200
    assert "Tags: saved VIP — yours (empty)" in text_of(refused)


def test_saving_an_edit_runs_no_query_more_than_before(worker_client, mia, django_assert_num_queries):
    # 1-2. session, user  3. the customer (get_customer_for_user)  4. its tags (the form's initial)
    # 5-16. the form's model validation: four check constraints, each in a savepoint
    # 17. the duplicate look-up
    # 18. savepoint (customer_update)  19. the customer, locked: its version compared with the form's, no query more
    # 20-34. full_clean: five check constraints, each in a savepoint
    # 35. the update (the version bumped in it)  36. the history record  37. its tags, to compare (as tags.set() did)
    # 38. release savepoint
    with django_assert_num_queries(38):
        response = worker_client.post(edit_url(mia), mia_form(town="Deal", version="1"))

    assert response.status_code == 302
