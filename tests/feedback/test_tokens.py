import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from feedback.tokens import SALT, LinkProblem, check_token, token_for
from tests.factories import CustomerFactory

from .factories import FeedbackFactory, FeedbackRequestFactory

pytestmark = pytest.mark.django_db


def _answer_url(token):
    return reverse("feedback:answer", args=[token])


def test_a_fresh_token_opens_its_own_request():
    feedback_request = FeedbackRequestFactory()

    check = check_token(token_for(feedback_request))

    assert check.problem is None
    assert check.request == feedback_request


def test_the_token_does_not_contain_the_request_id_or_the_customer():
    customer = CustomerFactory(name="Zebediah Quux", email="zeb@example.com")
    feedback_request = FeedbackRequestFactory(customer=customer)

    token = token_for(feedback_request)

    assert feedback_request.nonce not in ("", str(feedback_request.pk))
    assert "Zebediah" not in token and "zeb@" not in token
    assert signing.loads(token, salt=SALT) == feedback_request.nonce


def test_a_token_expires_after_the_configured_number_of_days(settings):
    settings.FEEDBACK_LINK_MAX_AGE_DAYS = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        feedback_request = FeedbackRequestFactory()
        token = token_for(feedback_request)

    with time_machine.travel(start + datetime.timedelta(days=29, hours=23), tick=False):
        assert check_token(token).problem is None
    with time_machine.travel(start + datetime.timedelta(days=30, minutes=1), tick=False):
        assert check_token(token).problem == LinkProblem.EXPIRED


def test_a_token_signed_later_still_expires_with_its_request(settings):
    settings.FEEDBACK_LINK_MAX_AGE_DAYS = 30
    start = timezone.now()
    feedback_request = FeedbackRequestFactory(created_at=start - datetime.timedelta(days=31))

    # Signed today (e.g. the email was retried), the request itself is too old.
    assert check_token(token_for(feedback_request)).problem == LinkProblem.EXPIRED


def test_an_answered_request_reports_the_link_as_used():
    feedback_request = FeedbackRequestFactory(answered_at=timezone.now(), feedback=FeedbackFactory(likes=["x"]))

    assert check_token(token_for(feedback_request)).problem == LinkProblem.USED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: "x" + t,  # payload changed
        lambda t: t.split(":")[0],  # signature removed
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_token_is_invalid(tamper):
    feedback_request = FeedbackRequestFactory()

    assert check_token(tamper(token_for(feedback_request))).problem == LinkProblem.INVALID


def test_a_validly_signed_token_for_an_unknown_nonce_is_invalid():
    FeedbackRequestFactory()

    assert check_token(signing.dumps("made-up-nonce", salt=SALT)).problem == LinkProblem.INVALID


def test_a_token_signed_with_another_salt_is_invalid():
    feedback_request = FeedbackRequestFactory()

    assert check_token(signing.dumps(feedback_request.nonce)).problem == LinkProblem.INVALID


def test_a_token_for_one_request_never_opens_another_customers_request(client):
    request_a = FeedbackRequestFactory(customer=CustomerFactory(name="Alice Able"))
    request_b = FeedbackRequestFactory(customer=CustomerFactory(name="Bob Baker"))

    client.post(_answer_url(token_for(request_a)), {"like_1": "Always on time"})

    request_a.refresh_from_db()
    request_b.refresh_from_db()
    assert request_a.feedback.customer.name == "Alice Able"
    assert request_b.answered_at is None
    assert check_token(token_for(request_a)).request is None  # used now
    assert check_token(token_for(request_b)).request == request_b


def test_the_ids_of_two_requests_do_not_make_a_token_for_each_other():
    request_a, request_b = FeedbackRequestFactory(), FeedbackRequestFactory()

    forged = signing.dumps(request_b.pk, salt=SALT)

    assert check_token(forged).problem == LinkProblem.INVALID
    assert request_a.nonce != request_b.nonce
