"""Customers, interactions and follow-ups as CSV or Excel files: every signed-in user; money for the owner only.

A CSV streams as it is read, a chunk of rows at a time, and starts at once; an .xlsx is built whole first (see
core.spreadsheets.xlsx_response). Customers are chosen exactly as the customer list chooses them
(CustomerListFilter), so "Export" gives every row of the list, on every page.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.timezones import user_localdate, user_time_zone
from core.spreadsheets import csv_response, xlsx_response
from customers.filters import CustomerListFilter
from customers.models import Customer
from customers.selectors import tag_list

from . import columns, selectors
from .forms import ExportForm

# The three files, by the name their addresses and file names start with: the Export page offers them in this order.
TITLES = {"customers": _("Customers"), "interactions": _("Interactions"), "followups": _("Follow-ups")}


def _page(request, form: ExportForm, filters: CustomerListFilter):
    """The Export page: also the answer to an export asked for with a value it cannot take, to be corrected."""
    context = {
        "form": form,
        "params": filters.params,
        "refusal": filters.refusal,
        "statuses": Customer.Status.choices,
        "tags": tag_list(),
        "files": [{"key": key, "title": title, "csv": reverse(f"exports:{key}_csv"),
                   "xlsx": reverse(f"exports:{key}_xlsx")} for key, title in TITLES.items()],
    }
    return render(request, "exports/export.html", context)


@require_GET
def export_page(request):
    return _page(request, ExportForm(request.GET or None), CustomerListFilter(request.GET))


def _download(request, kind: str, name: str, chosen_columns: list, objects):
    """The file, named like customers-2026-12-01.csv by the user's own date."""
    filename = f"{name}-{user_localdate(request.user):%Y-%m-%d}.{kind}"
    header, rows = columns.header(chosen_columns), columns.rows(chosen_columns, objects)
    if kind == "xlsx":
        return xlsx_response(header, rows, filename=filename, sheet_title=str(TITLES[name]))
    return csv_response(header, rows, filename=filename)


def _chosen_customers(filters: CustomerListFilter):
    """The customers the search and menus choose, or None when they choose every customer (no sub-query)."""
    return filters.qs if any(filters.params.values()) else None


@require_GET
def customers_export(request, kind: str):
    filters = CustomerListFilter(request.GET)
    if filters.refusal:
        return _page(request, ExportForm(), filters)
    customers = selectors.customers(filters.qs)
    return _download(request, kind, "customers", columns.customer_columns(), customers)


@require_GET
def interactions_export(request, kind: str):
    form, filters = ExportForm(request.GET), CustomerListFilter(request.GET)
    if not form.is_valid() or filters.refusal:
        return _page(request, form, filters)
    tz = user_time_zone(request.user)
    start, end = form.period(tz)
    member = form.cleaned_data["member"]
    interactions = selectors.interactions(start=start, end=end, member_id=member.pk if member else None,
                                          customers=_chosen_customers(filters))
    chosen_columns = columns.interaction_columns(tz=tz, money=request.user.is_owner)
    return _download(request, kind, "interactions", chosen_columns, interactions)


@require_GET
def followups_export(request, kind: str):
    form, filters = ExportForm(request.GET), CustomerListFilter(request.GET)
    if not form.is_valid() or filters.refusal:
        return _page(request, form, filters)
    data = form.cleaned_data
    followups = selectors.followups(first_day=data["date_from"], last_day=data["date_to"],
                                    member_id=data["member"].pk if data["member"] else None, state=data["state"],
                                    customers=_chosen_customers(filters))
    chosen_columns = columns.followup_columns(tz=user_time_zone(request.user))
    return _download(request, kind, "followups", chosen_columns, followups)
