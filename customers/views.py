from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.conflicts import Conflict, explain_conflict
from core.forms import SearchForm, parse_id
from core.registries import card_sections

from . import selectors, services, vcard
from .access import get_customer_for_user
from .filters import CustomerListFilter
from .forms import CustomerForm, DuplicateCheckForm
from .models import Customer
from .search import phone_digits

QUICK_SEARCH_LIMIT = 8


def _id_param(request, name: str) -> int | None:
    return parse_id(request.GET.get(name))


def _search_refused(message: str) -> HttpResponse:
    """The answer of a search-as-you-type box to text it will not search for, in place of its results."""
    return HttpResponse(format_html(
        '<div class="list-group quick-results"><p class="list-group-item mb-0 text-danger" role="alert">{}</p></div>',
        message,
    ))


def customer_list(request):
    filters = CustomerListFilter(request.GET)
    params = filters.params
    refusal = filters.refusal
    page = selectors.customer_page(
        filters.qs,
        query="" if refusal else params["q"],
        after=_id_param(request, "after"),
        before=_id_param(request, "before"),
        last=request.GET.get("page") == "last",
    )
    filter_qs = urlencode({key: value for key, value in params.items() if value})
    context = {"page": page, "params": params, "filter_qs": filter_qs, "statuses": Customer.Status.choices}
    if request.htmx and request.htmx.target == "customer-results" and not request.htmx.history_restore_request:
        response = _search_refused(refusal) if refusal else render(request, "customers/_results.html", context)
    else:
        if refusal:
            messages.error(request, refusal)
        context["tags"] = selectors.tag_list()
        response = render(request, "customers/customer_list.html", context)
    # The same URL serves the whole page or only the results: the Back button must not be given the fragment.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def customer_detail(request, pk: int):
    customer = get_customer_for_user(request.user, pk, for_card=True)
    last_customer = {"id": customer.pk, "name": str(customer)}
    # A copy fetched in the background for offline reading (offline/service-worker.js) is not a visit.
    if request.session.get("last_customer") != last_customer and "X-Offline-Precache" not in request.headers:
        # Only a change is written: reopening the same card costs no session write.
        request.session["last_customer"] = last_customer
    context = {"customer": customer, "sections": card_sections.render_list(customer=customer, request=request)}
    return render(request, "customers/customer_detail.html", context)


@require_GET
def customer_vcard(request, pk: int):
    """The customer as a contact card: "Save to my phone's contacts" on the card."""
    customer = get_customer_for_user(request.user, pk)
    response = HttpResponse(vcard.customer_vcard(customer), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=vcard.vcard_filename(customer))
    return response


def _duplicates_for(data: dict, exclude_id=None) -> list[Customer]:
    numbers = [phone_digits(data.get("phone")), phone_digits(data.get("alt_phone"))]
    return list(selectors.customer_duplicates(phone_digits=numbers, email=data.get("email", ""), exclude_id=exclude_id)[:5])


def _save_customer(request, form, customer=None):
    """Shared by create and edit: warns once about a possible duplicate, then saves.

    Returns (customer, duplicates, conflict): a customer when saved; else the duplicates to confirm, or the
    conflict to show (someone saved this customer since the form was opened).
    """
    if not form.is_valid():
        return None, [], None
    data = form.cleaned_data
    duplicates = _duplicates_for(data, exclude_id=customer.pk if customer else None)
    if not {d.pk for d in duplicates} <= form.confirmed_duplicate_ids():
        # Nothing is saved and everything typed is shown again, with the warning; the warning
        # carries confirm_duplicate, so saving again adds the customer anyway.
        return None, duplicates, None
    fields = {name: data[name] for name in services.CUSTOMER_UPDATE_FIELDS}
    if customer is None:
        customer = services.customer_create(tags=data["tags"], **fields)
        messages.success(request, _("Customer %(name)s added.") % {"name": customer})
        return customer, [], None
    try:
        customer = services.customer_update(customer=customer, data=fields, tags=data["tags"],
                                            expected_version=form.expected_version)
    except Conflict as conflict:
        shown = explain_conflict(form, conflict)
        if shown.fields:
            return None, [], shown
        customer = conflict.current  # the form holds what is stored now: nothing to save, nothing to lose
    messages.success(request, _("Saved."))
    return customer, [], None


@require_http_methods(["GET", "POST"])
def customer_create(request):
    initial = {}
    referrer_id = _id_param(request, "referred_by")
    if referrer_id:
        initial = {"referred_by": referrer_id, "source": Customer.Source.REFERRAL}
    elif request.GET.get("referred_by") and request.method == "GET":
        messages.warning(request, _("The link named a referrer that is not a customer number: it was left out."))
    form = CustomerForm(request.POST or None, initial=initial)
    duplicates = []
    if request.method == "POST":
        customer, duplicates, _conflict = _save_customer(request, form)
        if customer:
            return redirect(customer)
    return render(request, "customers/customer_form.html", {"form": form, "duplicates": duplicates})


@require_http_methods(["GET", "POST"])
def customer_edit(request, pk: int):
    customer = get_customer_for_user(request.user, pk)
    form = CustomerForm(request.POST or None, instance=customer)
    duplicates, conflict = [], None
    if request.method == "POST":
        saved, duplicates, conflict = _save_customer(request, form, customer=customer)
        if saved:
            return redirect(saved)
    context = {"form": form, "customer": customer, "duplicates": duplicates, "conflict": conflict}
    return render(request, "customers/customer_form.html", context)


def check_duplicates(request):
    """htmx: warns while typing that a phone or email already belongs to someone."""
    data = DuplicateCheckForm(request.GET).values()
    numbers = [phone_digits(data["phone"]), phone_digits(data["alt_phone"])]
    numbers = [n for n in numbers if len(n) >= 7]
    duplicates = list(
        selectors.customer_duplicates(phone_digits=numbers, email=data["email"], exclude_id=data["exclude"])[:5]
    )
    return render(request, "customers/_duplicates.html", {"duplicates": duplicates, "live": True})


def customer_picker(request):
    """htmx: a few customers matching what was typed, for the referred-by picker."""
    search = SearchForm(request.GET)
    if search.refusal:
        return _search_refused(search.refusal)
    query = search.query
    # A customer cannot be their own referrer: editing Mia, the picker never offers Mia.
    results = selectors.customer_quick_search(query=query, exclude_id=_id_param(request, "exclude"))
    return render(request, "customers/widgets/_picker_results.html", {"results": results, "query": query})


@require_GET
def quick_search(request):
    """The few customers matching what is typed in the search field at the top of every page."""
    search = SearchForm(request.GET)
    if search.refusal:
        return _search_refused(search.refusal)
    query = search.query
    results = selectors.customer_quick_search(query=query, limit=QUICK_SEARCH_LIMIT)
    return render(request, "customers/_quick_results.html", {"results": results, "query": query})
