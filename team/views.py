"""The owner's team administration. Every view is the owner's alone: a field worker gets 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import require_owner

from . import selectors, services
from .forms import DeactivateForm, InviteForm, LockoutLiftForm
from .tasks import link_days


def _get_member_for_owner(request, pk: int):
    """The person, with their workload, if the one asking is an owner (403 otherwise, 404 when there is none)."""
    require_owner(request)
    member = selectors.member_get(pk=pk)
    if member is None:
        raise Http404
    return member


def _handover_message(member, successor, handover) -> str:
    followups = ngettext("%(n)s open follow-up", "%(n)s open follow-ups", handover.followups) % {"n": handover.followups}
    customers = ngettext("%(n)s customer", "%(n)s customers", handover.customers) % {"n": handover.customers}
    return _("%(name)s can no longer sign in. %(successor)s now has their %(followups)s and %(customers)s.") % {
        "name": member, "successor": successor, "followups": followups, "customers": customers,
    }


@require_GET
def team_list(request):
    require_owner(request)
    context = {
        "members": selectors.team_members(),
        "lockouts": selectors.current_lockouts(now=timezone.now()),
    }
    return render(request, "team/team_list.html", context)


@require_http_methods(["GET", "POST"])
def invite(request):
    require_owner(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.worker_invite(**form.cleaned_data, invited_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is on the team. An email with a link to choose a password is on its way to %(email)s; "
                  "the link works for %(days)s days.") % {"name": user, "email": user.email, "days": link_days()},
            )
            return redirect("team:list")
    return render(request, "team/invite_form.html", {"form": form})


@require_POST
def invite_again(request, pk: int):
    member = _get_member_for_owner(request, pk)
    if not member.is_active or member.has_usable_password():
        messages.info(request, _("%(name)s has already chosen a password.") % {"name": member}
                      if member.is_active else _("%(name)s is no longer on the team.") % {"name": member})
        return redirect("team:list")
    services.invite_resend(user=member, invited_by=request.user)
    messages.success(request, _("A new link is on its way to %(email)s.") % {"email": member.email})
    return redirect("team:list")


@require_http_methods(["GET", "POST"])
def deactivate(request, pk: int):
    member = _get_member_for_owner(request, pk)
    if member.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate yourself: nobody would be left to run the team."))
        return redirect("team:list")
    if not member.is_active:
        messages.info(request, _("%(name)s is already deactivated.") % {"name": member})
        return redirect("team:list")
    form = DeactivateForm(request.POST or None, leaver=member, initial={"successor": request.user.pk})
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data["successor"]
        try:
            handover = services.user_deactivate(user=member, successor=successor, changed_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _handover_message(member, successor, handover))
            return redirect("team:list")
    return render(request, "team/deactivate_form.html", {"form": form, "member": member})


@require_POST
def reactivate(request, pk: int):
    member = _get_member_for_owner(request, pk)
    services.user_reactivate(user=member)
    messages.success(request, _("%(name)s can sign in again.") % {"name": member})
    return redirect("team:list")


@require_POST
def lockout_lift(request):
    require_owner(request)
    form = LockoutLiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That lockout could not be found: it may have ended already."))
        return redirect("team:list")
    lifted = services.lockout_lift(**form.cleaned_data)
    if lifted:
        messages.success(request, _("Lifted: %(username)s can sign in again from %(ip)s.")
                         % {"username": form.cleaned_data["username"] or _("(no name)"),
                            "ip": form.cleaned_data["ip_address"]})
    else:
        messages.info(request, _("That lockout had already ended."))
    return redirect("team:list")
