from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.conflicts import Conflict, explain_conflict
from customers.access import get_customer_for_user

from . import rules, services
from .forms import InteractionForm
from .models import Interaction
from .selectors import interaction_get


def _get_interaction_for_user(user, pk: int) -> Interaction:
    """The interaction, if this user may change it: the owner, or whoever logged it."""
    interaction = interaction_get(pk=pk)
    if interaction is None:
        raise Http404
    if not rules.can_edit(user, interaction):
        raise PermissionDenied
    return interaction


@require_http_methods(["GET", "POST"])
def interaction_create(request, customer_pk: int):
    customer = get_customer_for_user(request.user, customer_pk)
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
    interaction = _get_interaction_for_user(request.user, pk)
    form = InteractionForm(request.POST or None, instance=interaction, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_update(interaction=interaction, data=form.interaction_fields(),
                                        expected_version=form.expected_version)
        except Conflict as refused:
            conflict = explain_conflict(form, refused)
        if conflict is None or not conflict.fields:  # no conflict, or the form holds what is stored now
            messages.success(request, _("Saved."))
            return redirect(interaction.customer)
    return render(
        request,
        "interactions/interaction_form.html",
        {"form": form, "customer": interaction.customer, "interaction": interaction, "conflict": conflict},
    )


@require_http_methods(["GET", "POST"])
def interaction_delete(request, pk: int):
    interaction = _get_interaction_for_user(request.user, pk)
    if request.method == "POST":
        customer = interaction.customer
        services.interaction_delete(interaction=interaction)
        messages.success(request, _("The interaction was deleted."))
        return redirect(customer)
    return render(request, "interactions/interaction_confirm_delete.html", {"interaction": interaction})
