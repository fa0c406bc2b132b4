"""The private feedback link: a signed, timestamped token over a request's random nonce.

The token never contains a database id, so it cannot be guessed from another one; the
signature (SECRET_KEY + salt) makes any change to it detectable; the timestamp lets it expire.
"""

import datetime
import enum
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import FeedbackRequest

SALT = "feedback.request-link"


class LinkProblem(enum.Enum):
    INVALID = "invalid"  # tampered, malformed or unknown
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class LinkCheck:
    request: FeedbackRequest | None
    problem: LinkProblem | None


def max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.FEEDBACK_LINK_MAX_AGE_DAYS)


def token_for(feedback_request: FeedbackRequest) -> str:
    return signing.dumps(feedback_request.nonce, salt=SALT)


def link_for(feedback_request: FeedbackRequest) -> str:
    """The absolute link for the email."""
    return settings.SITE_URL + reverse("feedback:answer", args=[token_for(feedback_request)])


def check_token(token: str, *, now: datetime.datetime | None = None) -> LinkCheck:
    """The request a token opens, or why it opens nothing. One query at most."""
    try:
        nonce = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        return LinkCheck(None, LinkProblem.EXPIRED)
    except signing.BadSignature:
        return LinkCheck(None, LinkProblem.INVALID)
    if not isinstance(nonce, str):
        return LinkCheck(None, LinkProblem.INVALID)
    feedback_request = FeedbackRequest.objects.filter(nonce=nonce).first()
    if feedback_request is None:
        return LinkCheck(None, LinkProblem.INVALID)
    if feedback_request.answered_at is not None:
        return LinkCheck(None, LinkProblem.USED)
    if (now or timezone.now()) >= feedback_request.expires_at:
        return LinkCheck(None, LinkProblem.EXPIRED)
    return LinkCheck(feedback_request, None)
