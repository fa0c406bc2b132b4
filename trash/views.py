from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from customers.access import get_customer_for_user

from . import selectors, services


@require_http_methods(["GET", "POST"])
def customer_delete(request, pk: int):
    customer = get_customer_for_user(request.user, pk)
    if not request.user.is_owner:
        messages.error(request, _("Only the owner can delete a customer."))
        return redirect(customer)
    if request.method == "POST":
        name = str(customer)
        services.customer_delete(customer=customer)
        messages.success(request, _("%(name)s was deleted.") % {"name": name})
        return redirect("customers:list")
    summary = selectors.customer_delete_summary(customer)
    return render(request, "trash/customer_confirm_delete.html", {"customer": customer, "summary": summary})
