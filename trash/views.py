"""Deleting a customer, and the owner's trash. Only the owner deletes, restores or erases."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import require_owner
from core.forms import parse_id
from customers.access import get_customer_for_user

from . import selectors, services
from .forms import CustomerDeleteForm
from .rows import RestoreRefused

TRASH_PER_PAGE = 50


def _get_trashed_for_owner(request, pk: int):
    """The trashed customer, if the one asking is an owner (403 otherwise, 404 when there is none)."""
    require_owner(request)
    trashed = selectors.trashed_get(pk=pk)
    if trashed is None:
        raise Http404
    return trashed


@require_http_methods(["GET", "POST"])
def customer_delete(request, pk: int):
    customer = get_customer_for_user(request.user, pk)
    if not request.user.is_owner:
        messages.error(request, _("Only the owner can delete a customer."))
        return redirect(customer)
    form = CustomerDeleteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        name = str(customer)
        if form.cleaned_data["erase"]:
            services.customer_erase(customer=customer, erased_by=request.user)
            messages.success(request, _("%(name)s was erased for good, with their history.") % {"name": name})
        else:
            trashed = services.customer_delete(customer=customer, deleted_by=request.user)
            until = date_format(timezone.localtime(trashed.purge_after), "j F Y")
            messages.success(
                request,
                _("%(name)s was deleted. The trash keeps them, with everything that went with them, until %(until)s.")
                % {"name": name, "until": until},
            )
        return redirect("customers:list")
    summary = selectors.customer_delete_summary(customer)
    context = {"customer": customer, "summary": summary, "form": form, "retention_days": settings.TRASH_RETENTION_DAYS}
    return render(request, "trash/customer_confirm_delete.html", context)


@require_GET
def trash_list(request):
    require_owner(request)
    page = Paginator(selectors.trash_list(), TRASH_PER_PAGE).get_page(parse_id(request.GET.get("page")) or 1)
    entries = [(trashed, selectors.describe(trashed.contents, trashed.cut_links)) for trashed in page.object_list]
    return render(request, "trash/trash_list.html", {"page": page, "entries": entries})


@require_POST
def trashed_restore(request, pk: int):
    trashed = _get_trashed_for_owner(request, pk)
    try:
        result = services.trashed_customer_restore(trashed_id=trashed.pk, restored_by=request.user)
    except RestoreRefused as refusal:
        messages.error(request, _("%(name)s could not be restored: %(reason)s") % {"name": trashed.name,
                                                                                 "reason": refusal})
        return redirect("trash:list")
    messages.success(request, _("%(name)s is back, with everything that went with them.") % {"name": result.name})
    if result.reassigned:
        messages.warning(request, ngettext(
            "%(n)s row of theirs belonged to someone no longer in the team: it is yours now.",
            "%(n)s rows of theirs belonged to someone no longer in the team: they are yours now.",
            result.reassigned) % {"n": result.reassigned})
    if result.cleared:
        messages.info(request, ngettext(
            "%(n)s row of theirs named someone no longer in the team, and now names nobody.",
            "%(n)s rows of theirs named someone no longer in the team, and now name nobody.",
            result.cleared) % {"n": result.cleared})
    return redirect("customers:detail", pk=result.customer_pk)


@require_http_methods(["GET", "POST"])
def trashed_erase(request, pk: int):
    trashed = _get_trashed_for_owner(request, pk)
    if request.method == "POST":
        services.trashed_customer_erase(trashed_id=trashed.pk)
        messages.success(request, _("%(name)s was erased for good, with their history.") % {"name": trashed.name})
        return redirect("trash:list")
    summary = selectors.describe(trashed.contents, trashed.cut_links)
    return render(request, "trash/trashed_confirm_erase.html", {"trashed": trashed, "summary": summary})
