"""/exports/: the three files and their choices; the customer list's Export menu."""

from django.urls import reverse

from tests.factories import CustomerFactory, TagFactory

PAGE = reverse("exports:page")


def test_the_page_offers_each_file_as_csv_and_excel(worker_client):
    page = worker_client.get(PAGE).content.decode()

    for name in ("customers_csv", "customers_xlsx", "interactions_csv", "interactions_xlsx", "followups_csv",
                 "followups_xlsx"):
        assert f'formaction="{reverse("exports:" + name)}"' in page


def test_the_page_keeps_the_lists_search_and_menus(worker_client):
    tag = TagFactory(name="hedges")

    response = worker_client.get(PAGE, {"q": "mia", "status": "lead", "tag": tag.pk})

    page = response.content.decode()
    assert 'name="q" value="mia"' in page
    assert '<option value="lead" selected>' in page
    assert f'<option value="{tag.pk}" selected>hedges</option>' in page


def test_a_field_worker_is_told_the_money_is_left_out(worker_client):
    assert "Without the amounts charged and refunded" in worker_client.get(PAGE).content.decode()


def test_the_owner_is_told_the_money_is_in(owner_client):
    assert "With the amounts charged and refunded" in owner_client.get(PAGE).content.decode()


def test_the_customer_lists_export_links_carry_its_search_and_menus(worker_client):
    CustomerFactory(name="Mia Lane", status="active")
    page = worker_client.get(reverse("customers:list"), {"q": "mia", "status": "active"}).content.decode()
    # The links are in the results, which htmx replaces as the search is typed: they follow it.
    fragment = worker_client.get(reverse("customers:list"), {"q": "mia", "status": "active"},
                                 headers={"HX-Request": "true", "HX-Target": "customer-results"}).content.decode()
    assert f'href="{reverse("exports:customers_csv")}?q=mia&amp;status=active"' in fragment

    assert f'href="{reverse("exports:customers_csv")}?q=mia&amp;status=active"' in page
    assert f'href="{reverse("exports:customers_xlsx")}?q=mia&amp;status=active"' in page
    assert f'href="{reverse("exports:page")}?q=mia&amp;status=active"' in page
