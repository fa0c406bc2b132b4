"""Background work for the team: the invitation that carries the "choose your password" link."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mail.emails import absolute_url, email_message, render_email


def invite_link(user) -> str:
    """Django's own password-reset link: single use (the token dies with the password it sets) and expiring
    after PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return absolute_url(path)


def link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def invite_email(user, invited_by=None) -> EmailMultiAlternatives:
    context = {
        "business_name": settings.BUSINESS_NAME,
        "user": user,
        "invited_by": invited_by,
        "link": invite_link(user),
        "days": link_days(),
        "login_url": absolute_url(reverse("login")),
    }
    subject, text, html = render_email("team/emails/invite", context)
    return email_message(to=user.email, subject=subject, text=text, html=html)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=5,
)
def invite_send(user_id: int, invited_by_id: int | None = None) -> bool:
    """Emails the invitation. Returns True when it was sent.

    Sent only while it is useful: to someone still on the team, with an address, who has not chosen a password
    yet. A second delivery of the task sends a second link, which is harmless: both lead to the same form.
    """
    User = get_user_model()
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or user.has_usable_password():
        return False
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    invite_email(user, invited_by).send()
    return True
