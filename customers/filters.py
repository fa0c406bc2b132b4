"""The customer list's search box and menus, read from the query string."""

import django_filters

from core.forms import Form, IdField, SearchField

from . import selectors
from .models import Customer


class IdFilter(django_filters.Filter):
    field_class = IdField


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class CustomerListFilter(django_filters.FilterSet):
    """A value that does not parse (an old bookmark, an address typed by hand) is dropped, not shown as an error;
    only search text with control characters in it is refused with a message (`refusal`), rather than searched.

    The matching itself is selectors.customer_search, shared with the quick search, so both find the same
    customers. The tag is read as a number, not looked up: the list's query count stays the same with a tag.
    """

    q = SearchFilter(max_length=selectors.QUERY_MAX_LENGTH)
    status = django_filters.ChoiceFilter(choices=Customer.Status.choices)
    tag = IdFilter()

    class Meta:
        model = Customer
        form = Form
        fields = []

    def _cleaned(self) -> dict:
        # Validates; a value that does not parse is left out of cleaned_data and so falls back to "any".
        self.form.is_valid()
        data = self.form.cleaned_data
        return {"q": data.get("q") or "", "status": data.get("status") or "", "tag": data.get("tag")}

    @property
    def refusal(self) -> str:
        """Why the search text is not searched for (control characters in it), or ""."""
        self.form.is_valid()
        return self.form.errors["q"][0] if "q" in self.form.errors else ""

    @property
    def params(self) -> dict:
        """{"q": str, "status": str, "tag": int | None}, as the page shows them in its search box and menus."""
        params = self._cleaned()
        if self.refusal:
            # Refused text stays in the box, to be corrected.
            params["q"] = str(self.form["q"].value())[: selectors.QUERY_MAX_LENGTH]
        return params

    def filter_queryset(self, queryset):
        if self.refusal:
            return queryset.none()
        params = self._cleaned()
        return selectors.customer_search(
            customers=queryset, query=params["q"], status=params["status"], tag_id=params["tag"]
        )
