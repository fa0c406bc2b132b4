"""Background work for feedback: the email that carries the private link."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from mail.emails import email_message, render_email

from .models import FeedbackRequest
from .tokens import link_for

logger = logging.getLogger(__name__)


def _render_email(feedback_request: FeedbackRequest) -> EmailMultiAlternatives:
    context = {
        "business_name": settings.BUSINESS_NAME,
        "customer": feedback_request.customer,
        "link": link_for(feedback_request),
        "expires_at": feedback_request.expires_at,
    }
    subject, text, html = render_email("feedback/emails/request", context)
    return email_message(to=feedback_request.email, subject=subject, text=text, html=html)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=5,
)
def feedback_request_send(feedback_request_id: int) -> bool:
    """Emails the private link once. Returns True when this call sent it.

    The request is claimed with a conditional update before sending, so two workers (or a
    task delivered twice) never send it twice; a failed send releases the claim for a retry.
    """
    feedback_request = (
        FeedbackRequest.objects.select_related("customer")
        .filter(pk=feedback_request_id, sent_at__isnull=True, answered_at__isnull=True)
        .first()
    )
    if feedback_request is None:
        return False  # already sent, answered, or deleted
    if feedback_request.customer.do_not_contact:
        logger.info("Feedback request %s not sent: the customer is now marked do not contact.", feedback_request_id)
        return False
    now = timezone.now()
    claimed = FeedbackRequest.objects.filter(pk=feedback_request_id, sent_at__isnull=True).update(sent_at=now)
    if claimed != 1:
        return False
    try:
        _render_email(feedback_request).send()
    except Exception:
        FeedbackRequest.objects.filter(pk=feedback_request_id, sent_at=now).update(sent_at=None)
        raise
    return True
