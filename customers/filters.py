"""The customer list's search box and menus, read from the query string."""

import django_filters
from django import forms

from . import selectors
from .models import Customer


class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField


class CustomerListFilter(django_filters.FilterSet):
    """A value that does not parse (an old bookmark, an address typed by hand) is dropped, not shown as an error.

    The matching itself is selectors.customer_search, shared with the quick search, so both find the same
    customers. The tag is read as a number, not looked up: the list's query count stays the same with a tag.
    """

    q = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=Customer.Status.choices)
    tag = IdFilter(min_value=1)

    class Meta:
        model = Customer
        fields = []

    @property
    def params(self) -> dict:
        """{"q": str, "status": str, "tag": int | None}, as the page shows them in its search box and menus."""
        # Validates; a value that does not parse is left out of cleaned_data and so falls back to "any".
        self.form.is_valid()
        data = self.form.cleaned_data
        return {
            "q": (data.get("q") or "")[: selectors.QUERY_MAX_LENGTH],
            "status": data.get("status") or "",
            "tag": data.get("tag"),
        }

    def filter_queryset(self, queryset):
        params = self.params
        return selectors.customer_search(
            customers=queryset, query=params["q"], status=params["status"], tag_id=params["tag"]
        )
