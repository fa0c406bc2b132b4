"""The owner's page of emails that did not go out, with "Send again". A field worker gets 403."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import require_owner

from . import selectors, services


def _get_sent_email_for_owner(request, pk: int):
    """The sent-log row if the one asking is an owner (403 otherwise, 404 when there is none)."""
    require_owner(request)
    email = selectors.sent_email_get(pk=pk)
    if email is None:
        raise Http404
    return email


@require_GET
def failed_list(request):
    require_owner(request)
    now = timezone.now()
    context = {
        "emails": selectors.failed_emails(now=now),
        "recent_days": selectors.RECENT_DAYS,
        "now": now,
    }
    return render(request, "mail/failed_list.html", context)


@require_POST
def send_again(request, pk: int):
    email = _get_sent_email_for_owner(request, pk)
    if services.email_send_again(email=email, now=timezone.now()):
        messages.success(
            request,
            _("The %(kind)s for %(user)s goes out at the next run of the sender, within a few minutes.")
            % {"kind": email.get_kind_display().lower(), "user": email.user},
        )
    else:
        messages.info(request, _("That email is no longer failing: it has been sent, or is being sent."))
    return redirect("mail:failed")
