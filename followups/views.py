from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.conflicts import Conflict, explain_conflict
from core.http import safe_next_url
from customers.access import get_customer_for_user

from . import services
from .forms import FollowUpDoneForm, FollowUpForm, FollowUpTryAgainForm
from .rules import get_followup_for_user


@require_http_methods(["GET", "POST"])
def create(request, customer_pk: int):
    customer = get_customer_for_user(request.user, customer_pk)
    form = FollowUpForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.followup_create(customer=customer, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("Follow-up set."))
        return redirect(customer)
    return render(request, "followups/followup_form.html", {"form": form, "customer": customer})


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    followup = get_followup_for_user(request.user, pk, action="edit")
    form = FollowUpForm(request.POST or None, instance=followup, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_update(followup=followup, data=form.cleaned_data, expected_version=form.expected_version)
        except Conflict as refused:
            conflict = explain_conflict(form, refused)
        if conflict is None or not conflict.fields:  # no conflict, or the form holds what is stored now
            messages.success(request, _("Saved."))
            return redirect(followup.customer)
    return render(request, "followups/followup_form.html",
                  {"form": form, "customer": followup.customer, "followup": followup, "conflict": conflict})


@require_http_methods(["GET", "POST"])
def done(request, pk: int):
    followup = get_followup_for_user(request.user, pk, action="complete")
    form = FollowUpDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.followup_complete(followup=followup, user=request.user, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("Done: %(what)s") % {"what": followup.description})
        return redirect(safe_next_url(request, followup.customer.get_absolute_url()))
    return render(request, "followups/followup_done.html",
                  {"form": form, "followup": followup, "next": safe_next_url(request)})


@require_http_methods(["GET", "POST"])
def try_again(request, pk: int):
    followup = get_followup_for_user(request.user, pk, action="complete")
    form = FollowUpTryAgainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        followup = services.followup_try_again(followup=followup, **form.cleaned_data)
        messages.success(
            request,
            _("Once more on %(date)s (attempt %(n)s).") % {"date": followup.due_date.strftime("%a %d %b"), "n": followup.attempts},
        )
        return redirect(safe_next_url(request, followup.customer.get_absolute_url()))
    return render(request, "followups/followup_try_again.html",
                  {"form": form, "followup": followup, "next": safe_next_url(request)})


@require_POST
def reopen(request, pk: int):
    followup = get_followup_for_user(request.user, pk, action="complete")
    # Read before the write: a request whose body cannot be read is refused without a change.
    next_url = safe_next_url(request, followup.customer.get_absolute_url())
    services.followup_reopen(followup=followup)
    messages.success(request, _("Reopened."))
    return redirect(next_url)
