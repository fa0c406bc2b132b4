"""Writes for feedback. Keyword-only, validated, in a transaction."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import model_update
from followups.services import followup_create

from .models import MAX_ITEMS_PER_KIND, Feedback, FeedbackItem, FeedbackRequest
from .tasks import feedback_request_send

FOLLOWUP_DUE_IN_DAYS = 7
# A second click on "Ask for feedback" within this time does not send a second email.
REPEAT_REQUEST_WINDOW = datetime.timedelta(hours=24)


def _clean_answers(answers: Sequence[str]) -> list[str]:
    cleaned = [text.strip() for text in answers if text and text.strip()]
    if len(cleaned) > MAX_ITEMS_PER_KIND:
        raise ValidationError(_("At most %(n)d answers of each kind.") % {"n": MAX_ITEMS_PER_KIND})
    return cleaned


@transaction.atomic
def feedback_create(*, customer, likes: Sequence[str], improvements: Sequence[str], rating: int | None = None,
                    channel: str = Feedback.Channel.IN_PERSON, received_at: datetime.datetime | None = None,
                    recorded_by=None) -> Feedback:
    """Stores one piece of feedback with its answers (blank answers are dropped; at least one must remain)."""
    likes, improvements = _clean_answers(likes), _clean_answers(improvements)
    if not likes and not improvements:
        raise ValidationError(_("Write at least one thing they like or one thing we could improve."))
    feedback = Feedback(
        customer=customer,
        rating=rating,
        channel=channel,
        received_at=received_at or timezone.now(),
        recorded_by=recorded_by,
    )
    feedback.full_clean()
    feedback.save()
    items = [
        FeedbackItem(feedback=feedback, kind=kind, position=position, text=text)
        for kind, texts in ((FeedbackItem.Kind.LIKE, likes), (FeedbackItem.Kind.IMPROVEMENT, improvements))
        for position, text in enumerate(texts, start=1)
    ]
    for item in items:
        item.full_clean(exclude=["feedback"])
    FeedbackItem.objects.bulk_create(items)
    return feedback


class RequestRefused(Exception):
    """The customer cannot be asked by email; the message says why, for the user."""


@transaction.atomic
def feedback_request_create(*, customer, requested_by, now: datetime.datetime | None = None) -> FeedbackRequest:
    """Creates a private link for the customer and queues its email once the transaction commits."""
    now = now or timezone.now()
    if customer.do_not_contact:
        raise RequestRefused(_("%(name)s is marked “do not contact”: no email was sent.") % {"name": customer})
    if not customer.email:
        raise RequestRefused(
            _("%(name)s has no email address. Add one to the profile, or take their feedback in person or by phone.")
            % {"name": customer}
        )
    recent = (
        FeedbackRequest.objects.unanswered()
        .filter(customer=customer, created_at__gt=now - REPEAT_REQUEST_WINDOW)
        .exists()
    )
    if recent:
        raise RequestRefused(
            _("%(name)s was already asked for feedback in the last 24 hours: no second email was sent.")
            % {"name": customer}
        )
    feedback_request = FeedbackRequest(customer=customer, email=customer.email, requested_by=requested_by,
                                       created_at=now)
    feedback_request.full_clean()
    feedback_request.save()
    feedback_request_send.delay_on_commit(feedback_request.pk)
    return feedback_request


class AlreadyAnswered(Exception):
    pass


@transaction.atomic
def feedback_request_answer(*, feedback_request: FeedbackRequest, likes: Sequence[str], improvements: Sequence[str],
                            rating: int | None = None) -> Feedback:
    """Stores the customer's own answer. A second answer to the same link (two tabs, a double submit) is refused."""
    now = timezone.now()
    # The conditional update claims the request: of two concurrent answers only one changes a row.
    claimed = FeedbackRequest.objects.filter(pk=feedback_request.pk, answered_at__isnull=True).update(answered_at=now)
    if claimed != 1:
        raise AlreadyAnswered
    feedback = feedback_create(
        customer=feedback_request.customer,
        likes=likes,
        improvements=improvements,
        rating=rating,
        channel=Feedback.Channel.LINK,
        received_at=now,
        recorded_by=None,
    )
    FeedbackRequest.objects.filter(pk=feedback_request.pk).update(feedback=feedback)
    feedback_request.answered_at, feedback_request.feedback = now, feedback
    return feedback


@transaction.atomic
def improvement_followup_create(*, item: FeedbackItem, user, due_date: datetime.date | None = None) -> FeedbackItem:
    """Creates a follow-up assigned to `user` for an improvement and links the two, in one transaction.

    Done twice, it keeps the first follow-up.
    """
    item = FeedbackItem.objects.select_for_update().select_related("feedback__customer").get(pk=item.pk)
    if item.kind != FeedbackItem.Kind.IMPROVEMENT:
        raise ValidationError(_("Only an improvement can become a follow-up."))
    if item.followup_id is not None:
        return item
    description = _("Improve: %(text)s") % {"text": item.text}
    followup = followup_create(
        customer=item.feedback.customer,
        description=description[:300],
        due_date=due_date or timezone.localdate() + datetime.timedelta(days=FOLLOWUP_DUE_IN_DAYS),
        assigned_to=user,
        created_by=user,
    )
    # Not cleaned again: the kind was checked above and followup_create validated the follow-up.
    item, _changed = model_update(instance=item, fields=["followup"], data={"followup": followup}, clean=False)
    return item
