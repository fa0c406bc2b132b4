"""The import as the owner does it, in real Chromium at phone and desktop size, with a real Celery worker: from the
customer list to the summary, which appears on its own once the worker is done (the progress bar polls)."""

import csv
import io

import pytest
from playwright.sync_api import expect

from imports import services
from tests.fixtures.imports import make_book
from tests.services import celery_workers, redis_broker, smtp_server, worker_env  # noqa: F401

from .conftest import DESKTOP, PHONE, log_in

# The live server and the worker share the test database: PostgreSQL, or SQLite in a file (worker_env skips, or
# fails under CI=true, when the worker could not open it).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH_JS = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
# What sticks out past the right edge of the screen, but for what scrolls inside a .table-responsive box.
OVERFLOWING_JS = """
() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.parentElement.closest(".table-responsive"))
  .slice(0, 5)
  .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${String(el.className).split(" ").join(".")} right=${Math.round(el.getBoundingClientRect().right)}`)
"""
# The preview's columns (but the row number's) narrower than 4rem, as "header: width".
NARROW_COLUMNS_JS = """
() => [...document.querySelectorAll("#import-preview thead th:not(:first-child)")]
  .filter((th) => th.getBoundingClientRect().width < 64)
  .map((th) => `${th.firstChild.textContent.trim()}: ${Math.round(th.getBoundingClientRect().width)}px`)
"""


@pytest.mark.worker
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_owner_imports_the_book_and_sees_the_summary_without_reloading(browser, live_server, owner,
                                                                           celery_workers, size):  # noqa: F811
    context = browser.new_context(**size)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server.url, username="olivia")

    # Given: the owner on the customer list, choosing Import and the spreadsheet
    page.goto(f"{live_server.url}/customers/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.locator("input[type=file]").set_input_files(make_book.BOOK_1000)
    page.get_by_role("button", name="Upload and check").click()

    # Then: the mapping page reads the columns and previews the first rows
    expect(page.locator("#import-preview tbody tr")).to_have_count(20)
    expect(page.locator("#import-preview")).to_contain_text("Karen")
    expect(page.locator("#import-preview")).to_contain_text("Skipped: Identical to row 15")
    expect(page.locator("#import-mapping")).to_contain_text("Read from the file: Month/day/year")
    if size is PHONE:
        width = page.evaluate(PAGE_WIDTH_JS)
        assert width <= page.evaluate("() => window.innerWidth"), page.evaluate(OVERFLOWING_JS)

    # When: duplicates are to be skipped, and the owner presses Import (no worker running yet)
    page.get_by_label("Skip them").check()
    page.get_by_role("button", name="Import", exact=True).click()

    # Then: the progress bar shows, and once a worker has run the import the summary replaces it on its own
    expect(page.locator("#import-progress progress")).to_be_visible()
    celery_workers.start()
    expect(page.locator("#import-summary")).to_be_visible(timeout=60_000)
    expected = make_book.BOOK_1000_COUNTS
    for key in ("new", "updated", "skipped", "rejected"):
        expect(page.locator(f"[data-count={key}]")).to_have_text(str(expected[key]))

    # And: the rejected rows come as a CSV, each with its reason, formulas made harmless
    link = page.get_by_role("link", name="Rejected rows and why (CSV)")
    expect(link).to_be_visible()
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok
    rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert rows[0][:3] == ["Row", "Reason", "First name"]
    assert len(rows) == 1 + expected["rejected"]
    assert rows[1][:2] == ["24", "No name."]
    notes = {row[10] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://example.com\")" in notes
    assert not any(note.startswith("=") for note in notes)
    context.close()


def test_the_preview_keeps_its_columns_readable_on_a_phone_and_scrolls_in_its_box(browser, live_server, owner):
    batch = services.batch_create(filename="book-1000.csv", data=make_book.BOOK_1000.read_bytes(), created_by=owner)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server.url, username="olivia")

    page.goto(live_server.url + batch.get_absolute_url())

    expect(page.locator("#import-preview tbody tr")).to_have_count(20)
    assert page.evaluate(PAGE_WIDTH_JS) <= PHONE["viewport"]["width"], page.evaluate(OVERFLOWING_JS)
    assert page.evaluate(NARROW_COLUMNS_JS) == []
    assert page.evaluate("() => { const box = document.querySelector('.table-responsive');"
                         " return box.scrollWidth > box.clientWidth; }")
    context.close()
