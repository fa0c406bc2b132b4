"""The customer list: search box, filters, pages, htmx partial."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, TagFactory

LIST = reverse("customers:list")


def test_it_requires_login(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url == f"/login/?next={LIST}"


def test_it_lists_customers_in_a_full_page(worker_client):
    CustomerFactory(name="Mia Lane", phone="+12025550123")

    response = worker_client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "Mia Lane" in html
    assert "(202) 555-0123" in html


def test_it_finds_a_customer_by_digits_of_the_phone(worker_client):
    CustomerFactory(name="Mia Lane", phone="+12025550123", street="Elm Road")
    CustomerFactory(name="Bob Brown", phone="+16175559876", street="Oak Road")

    html = worker_client.get(LIST, {"q": "555 01"}).content.decode()

    assert "Mia Lane" in html
    assert "Bob Brown" not in html


def test_an_htmx_search_returns_only_the_results(worker_client):
    CustomerFactory(name="Mia Lane")
    CustomerFactory(name="Bob Brown")

    response = worker_client.get(LIST, {"q": "mia"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-results")

    html = response.content.decode()
    assert "<html" not in html
    assert "Mia Lane" in html
    assert "Bob Brown" not in html


def test_it_filters_by_status_and_tag(worker_client):
    pool = TagFactory(name="Pool")
    CustomerFactory(name="Active Pool", status="active", tags=[pool])
    CustomerFactory(name="Lead Pool", status="lead", tags=[pool])
    CustomerFactory(name="Active Plain", status="active")

    html = worker_client.get(LIST, {"status": "active", "tag": pool.pk}).content.decode()

    assert "Active Pool" in html
    assert "Lead Pool" not in html and "Active Plain" not in html


def test_bad_filter_values_are_ignored(worker_client):
    CustomerFactory(name="Mia Lane")

    response = worker_client.get(LIST, {"status": "nonsense", "tag": "x", "after": "y"})

    assert response.status_code == 200
    assert "Mia Lane" in response.content.decode()


@pytest.mark.parametrize("tag", ["-1", "0", "1.5", ""])
def test_a_tag_that_is_not_an_id_is_ignored_and_the_valid_filters_still_apply(worker_client, tag):
    CustomerFactory(name="Mia Lane", status="active")
    CustomerFactory(name="Lee Lead", status="lead")

    response = worker_client.get(LIST, {"status": "lead", "tag": tag})

    assert response.context["params"] == {"q": "", "status": "lead", "tag": None}
    assert [c.name for c in response.context["page"].customers] == ["Lee Lead"]


def test_a_long_search_is_cut_not_refused(worker_client):
    CustomerFactory(name="Mia Lane")

    response = worker_client.get(LIST, {"q": "  mia" + " " * 200 + "zzz"})

    assert response.context["params"]["q"] == "mia" + " " * 97
    assert "Mia Lane" in response.content.decode()


@pytest.mark.parametrize("link", ["Next", "Last"])
def test_page_links_keep_the_search_and_filters(worker_client, settings, link):
    settings.CUSTOMERS_PER_PAGE = 2
    pool = TagFactory(name="Pool")
    for name in ["Amy A", "Amy B", "Amy C"]:
        CustomerFactory(name=name, status="active", tags=[pool])

    html = worker_client.get(LIST, {"q": "amy", "status": "active", "tag": pool.pk}).content.decode()

    expected = f"?q=amy&amp;status=active&amp;tag={pool.pk}&amp;"
    assert f'href="{expected}' in html
    assert f">{link}</a>" in html


def test_following_next_shows_the_rest_with_the_filters(worker_client, settings):
    settings.CUSTOMERS_PER_PAGE = 2
    for name in ["Amy A", "Amy B", "Amy C", "Zed"]:
        CustomerFactory(name=name)

    first = worker_client.get(LIST, {"q": "amy"})
    second = worker_client.get(LIST, {"q": "amy", "after": first.context["page"].next_cursor})

    assert [c.name for c in second.context["page"].customers] == ["Amy C"]


def test_no_pager_when_everything_fits_on_one_page(worker_client):
    CustomerFactory(name="Mia Lane")

    html = worker_client.get(LIST).content.decode()

    assert 'aria-label="Pages"' not in html


def test_an_empty_search_says_so_and_offers_to_add(worker_client):
    CustomerFactory(name="Mia Lane")

    html = worker_client.get(LIST, {"q": "zebra"}).content.decode()

    assert "No customer matches" in html and "zebra" in html
    assert reverse("customers:create") in html


def test_an_empty_filter_says_so_and_offers_to_clear_it(worker_client):
    CustomerFactory(name="Mia Lane", status="active")

    html = worker_client.get(LIST, {"status": "lost"}).content.decode()

    assert "No customers yet" not in html
    assert "No customer matches these filters" in html
    assert "Show everyone" in html


def test_an_empty_database_says_no_customers_yet(worker_client):
    html = worker_client.get(LIST).content.decode()

    assert "No customers yet" in html


def test_the_list_varies_on_htmx_headers_so_back_never_shows_a_fragment(worker_client):
    response = worker_client.get(LIST, {"q": "mia"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-results")

    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(worker_client):
    response = worker_client.get(
        LIST, {"q": "mia"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-results",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert "<html" in response.content.decode()
