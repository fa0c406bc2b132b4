"""Feedback at a phone's size, in real Chromium: the customer's own link, and a worker taking it on site."""

import pytest

from feedback.models import Feedback
from feedback.tokens import token_for
from tests.factories import CustomerFactory, UserFactory
from tests.feedback.factories import FeedbackFactory, FeedbackRequestFactory

from .conftest import log_in
from .pages import SMALL_TARGETS_JS, WIDEST_JS

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_page(page):
    page.csp_errors = []
    page.on("console", lambda msg: page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return page


AXE_VIOLATIONS_JS = """
async () => (await axe.run(document, {runOnly: ["wcag2a", "wcag2aa"]})).violations
  .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)
"""


def _accessible(page, axe_path):
    page.evaluate(open(axe_path).read())  # through CDP, so the page's CSP does not block it
    assert page.evaluate(AXE_VIOLATIONS_JS) == []


def _fits_the_phone(page):
    assert page.evaluate(WIDEST_JS) == []
    assert page.evaluate(SMALL_TARGETS_JS) == []
    assert page.csp_errors == []


def test_a_customer_answers_on_their_phone(phone_page, live_server, transactional_db, settings, axe_path):
    settings.BUSINESS_NAME = "Green Thumb Gardens"
    feedback_request = FeedbackRequestFactory(customer=CustomerFactory(name="Ada Lovelace"))
    page = phone_page

    page.goto(f"{live_server.url}/feedback/answer/{token_for(feedback_request)}/")
    assert page.get_by_role("heading", name="Green Thumb Gardens").is_visible()
    _fits_the_phone(page)
    _accessible(page, axe_path)
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_text("Write at least one thing you like").is_visible()

    page.locator("#id_like_1").fill("You always close the gate")
    page.locator("#id_improvement_1").fill("Text me when you are on the way")
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()

    assert page.get_by_role("heading", name="Thank you!").is_visible()
    _accessible(page, axe_path)
    feedback = Feedback.objects.get()
    assert (feedback.customer, feedback.rating, feedback.channel) == (feedback_request.customer, 4, "link")


def test_a_worker_takes_feedback_on_site(phone_page, live_server, transactional_db, axe_path):
    UserFactory(username="will", first_name="Will", role="field_worker")
    customer = CustomerFactory(name="Grace Hopper")
    page = phone_page
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    _fits_the_phone(page)
    page.get_by_role("link", name="Take feedback").click()
    _fits_the_phone(page)
    _accessible(page, axe_path)
    page.locator("#id_like_1").fill("Punctual")
    page.locator("#id_improvement_1").fill("Sweep up after trimming")
    page.get_by_role("button", name="Save feedback").click()

    page.wait_for_url(f"**{customer.get_absolute_url()}#feedback")
    assert page.locator("#feedback").get_by_text("Sweep up after trimming").is_visible()
    _fits_the_phone(page)

    page.goto(f"{live_server.url}/feedback/")
    assert page.get_by_text("Sweep up after trimming").is_visible()
    _fits_the_phone(page)


def test_the_owner_acts_on_an_improvement_from_the_feedback_page(phone_page, live_server, transactional_db):
    UserFactory(username="olivia", first_name="Olivia", role="owner")
    FeedbackFactory(customer=CustomerFactory(name="Ada Lovelace"), likes=["Tidy"], improvements=["Come earlier"])
    page = phone_page
    log_in(page, live_server.url, username="olivia")

    page.goto(f"{live_server.url}/feedback/")
    _fits_the_phone(page)
    page.get_by_role("button", name="Make a follow-up").click()

    page.wait_for_url("**/feedback/#improvement-*")
    assert page.get_by_text("Follow-up set for").is_visible()
    assert page.get_by_text("Improve: Come earlier").is_visible()
    _fits_the_phone(page)
