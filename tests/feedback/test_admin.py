import pytest
from django.urls import reverse

from .factories import FeedbackFactory, FeedbackRequestFactory

pytestmark = pytest.mark.django_db


def test_the_owner_can_browse_feedback_in_the_admin(owner_client):
    feedback = FeedbackFactory(likes=["Tidy"], improvements=["Earlier"])

    assert owner_client.get(reverse("admin:feedback_feedback_changelist")).status_code == 200
    page = owner_client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk])).content.decode()
    assert "Earlier" in page


def test_the_admin_never_shows_the_secret_behind_a_link(owner_client):
    feedback_request = FeedbackRequestFactory()

    page = owner_client.get(reverse("admin:feedback_feedbackrequest_change", args=[feedback_request.pk]))

    assert page.status_code == 200
    assert feedback_request.nonce not in page.content.decode()
