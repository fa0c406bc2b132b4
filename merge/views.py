"""The owner's clean-up after an import: possible duplicates, and merging two customers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import require_owner
from customers.access import get_customer_for_user

from . import selectors, services


@require_GET
def duplicates(request):
    require_owner(request)
    return render(request, "merge/duplicates.html",
                  {"pairs": selectors.duplicate_pairs(), "max_pairs": selectors.MAX_PAIRS})


@require_http_methods(["GET", "POST"])
def merge(request, keep_pk: int, other_pk: int):
    require_owner(request)
    keep = get_customer_for_user(request.user, keep_pk)
    other = get_customer_for_user(request.user, other_pk)
    if keep.pk == other.pk:
        messages.error(request, _("A customer cannot be merged with themselves."))
        return redirect("merge:duplicates")
    if request.method == "POST":
        try:
            merged = services.customer_merge(keep=keep, other=other, merged_by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("merge:duplicates")
        messages.success(request, _("%(other)s was merged into %(keep)s: everything of theirs is here now.")
                     % {"other": other, "keep": merged.customer})
        return redirect(merged.customer)
    context = {"keep": keep, "other": other, "preview": selectors.merge_preview(keep=keep, other=other)}
    return render(request, "merge/merge.html", context)
