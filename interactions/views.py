from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from customers.models import Customer

from . import services
from .forms import InteractionForm
from .models import Interaction


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
