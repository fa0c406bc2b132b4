from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from customers.models import Customer
from servicecrm.http import safe_next_url

from . import services
from .forms import FollowUpDoneForm, FollowUpForm, FollowUpTryAgainForm, InteractionForm
from .models import FollowUp, Interaction


def _get_interaction_for_change(request, pk: int) -> Interaction:
    """The interaction, if this user may change it: the owner, or whoever logged it."""
    interaction = get_object_or_404(Interaction.objects.select_related("customer"), pk=pk)
    if not (request.user.is_owner or interaction.user_id == request.user.pk):
        raise PermissionDenied
    return interaction


@require_http_methods(["GET", "POST"])
def interaction_create(request, customer_pk: int):
    customer = get_object_or_404(Customer, pk=customer_pk)
    initial = {}
    if request.GET.get("channel") in Interaction.Channel.values:
        initial["channel"] = request.GET["channel"]
        initial["direction"] = Interaction.Direction.OUTBOUND if initial["channel"] == "visit" else None
    form = InteractionForm(request.POST or None, user=request.user, initial={k: v for k, v in initial.items() if v})
    if request.method == "POST" and form.is_valid():
        services.interaction_create(
            customer=customer, user=request.user, **form.interaction_fields(), **form.followup_fields()
        )
        messages.success(request, _("Logged."))
        return redirect(customer)
    return render(request, "interactions/interaction_form.html", {"form": form, "customer": customer})


@require_http_methods(["GET", "POST"])
def interaction_edit(request, pk: int):
    interaction = _get_interaction_for_change(request, pk)
    form = InteractionForm(request.POST or None, instance=interaction, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.interaction_update(interaction=interaction, **form.interaction_fields())
        messages.success(request, _("Saved."))
        return redirect(interaction.customer)
    return render(
        request,
        "interactions/interaction_form.html",
        {"form": form, "customer": interaction.customer, "interaction": interaction},
    )


@require_http_methods(["GET", "POST"])
def interaction_delete(request, pk: int):
    interaction = _get_interaction_for_change(request, pk)
    if request.method == "POST":
        customer = interaction.customer
        services.interaction_delete(interaction=interaction)
        messages.success(request, _("The interaction was deleted."))
        return redirect(customer)
    return render(request, "interactions/interaction_confirm_delete.html", {"interaction": interaction})


@require_http_methods(["GET", "POST"])
def followup_create(request, customer_pk: int):
    customer = get_object_or_404(Customer, pk=customer_pk)
    form = FollowUpForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.followup_create(customer=customer, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("Follow-up set."))
        return redirect(customer)
    return render(request, "interactions/followup_form.html", {"form": form, "customer": customer})


@require_http_methods(["GET", "POST"])
def followup_edit(request, pk: int):
    followup = get_object_or_404(FollowUp.objects.select_related("customer"), pk=pk)
    form = FollowUpForm(request.POST or None, instance=followup, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.followup_update(followup=followup, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(followup.customer)
    return render(request, "interactions/followup_form.html",
                  {"form": form, "customer": followup.customer, "followup": followup})


@require_http_methods(["GET", "POST"])
def followup_done(request, pk: int):
    followup = get_object_or_404(FollowUp.objects.select_related("customer"), pk=pk)
    form = FollowUpDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.followup_complete(followup=followup, user=request.user, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("Done: %(what)s") % {"what": followup.description})
        return redirect(safe_next_url(request, followup.customer.get_absolute_url()))
    return render(request, "interactions/followup_done.html",
                  {"form": form, "followup": followup, "next": safe_next_url(request)})


@require_http_methods(["GET", "POST"])
def followup_try_again(request, pk: int):
    followup = get_object_or_404(FollowUp.objects.select_related("customer"), pk=pk)
    form = FollowUpTryAgainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        followup = services.followup_try_again(followup=followup, **form.cleaned_data)
        messages.success(
            request,
            _("Once more on %(date)s (attempt %(n)s).") % {"date": followup.due_date.strftime("%a %d %b"), "n": followup.attempts},
        )
        return redirect(safe_next_url(request, followup.customer.get_absolute_url()))
    return render(request, "interactions/followup_try_again.html",
                  {"form": form, "followup": followup, "next": safe_next_url(request)})


@require_POST
def followup_reopen(request, pk: int):
    followup = get_object_or_404(FollowUp.objects.select_related("customer"), pk=pk)
    services.followup_reopen(followup=followup)
    messages.success(request, _("Reopened."))
    return redirect(safe_next_url(request, followup.customer.get_absolute_url()))
