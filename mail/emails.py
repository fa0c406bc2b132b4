"""Rendering and addressing of outgoing email: subject, text and HTML bodies from templates."""

from email.utils import formataddr, make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def preferences_url() -> str:
    """Where every email sends the reader to change or stop it (also the List-Unsubscribe target)."""
    return absolute_url(reverse("accounts:profile"))


def new_message_id() -> str:
    return make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost")


def sender() -> str:
    """The business name as the display name, whatever DEFAULT_FROM_EMAIL's own display name is."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
    return formataddr((settings.BUSINESS_NAME, address))


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template: no HTML escaping ("Smith & Sons" stays as typed)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_email(prefix: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) from "<prefix>-subject.txt", "<prefix>-body.txt" and "<prefix>-body.html"."""
    subject = " ".join(render_text(f"{prefix}-subject.txt", context).split())
    text = render_text(f"{prefix}-body.txt", context)
    html = render_to_string(f"{prefix}-body.html", context)
    return subject, text, html


def email_message(*, to: str, subject: str, text: str, html: str, headers: dict | None = None) -> EmailMultiAlternatives:
    """Every outgoing email: from the business, a plain-text body and its HTML alternative."""
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=sender(), to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def build_message(*, user, subject: str, text: str, html: str, message_id: str) -> EmailMultiAlternatives:
    """An email to a user of the app, with a link to stop it (List-Unsubscribe)."""
    return email_message(
        to=formataddr((str(user), user.email)),
        subject=subject,
        text=text,
        html=html,
        headers={"Message-ID": message_id, "List-Unsubscribe": f"<{preferences_url()}>"},
    )
