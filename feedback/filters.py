"""The feedback page's filters: ?q=&customer=&date_from=&date_to=&rating=

A bad value is shown with its error and ignored; the other filters still apply (django-filter filters
with the form's cleaned_data, which holds only the valid fields).
"""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import Form, IdField, search_text_validator
from core.text import fold
from core.widgets import DateInput

from .forms import RATING_CHOICES
from .models import Feedback


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class IdFilter(django_filters.Filter):
    # NumberFilter's DecimalField would answer "Enter a number." where the page has always said "Enter a whole number."
    field_class = IdField


class FeedbackFilter(django_filters.FilterSet):
    # From the customer card's "All feedback from …" link. A whole number, not a choice: an unknown
    # customer simply has no feedback.
    customer = IdFilter(field_name="customer_id", widget=forms.HiddenInput)
    q = django_filters.CharFilter(
        label=_("Customer"), max_length=100, method="filter_customer_text", validators=[search_text_validator],
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, email, street…")}),
    )
    # The user's local days, both ends included.
    date_from = django_filters.DateFilter(label=_("From"), widget=DateInput, method="filter_date_from")
    date_to = django_filters.DateFilter(label=_("To"), widget=DateInput, method="filter_date_to")
    rating = django_filters.TypedChoiceFilter(
        label=_("Rating"), coerce=int, empty_value=None, choices=[("", _("Any rating")), *RATING_CHOICES[1:]],
    )

    class Meta:
        model = Feedback
        form = Form
        fields = []

    def filter_customer_text(self, queryset, name, value):
        for token in fold(value).split():
            queryset = queryset.filter(customer__search_text__contains=token)
        return queryset

    # A date at the very edge of the calendar (9999-12-31, 0001-01-01) bounds nothing: no overflow, no limit.
    def filter_date_from(self, queryset, name, value):
        try:
            return queryset.filter(received_at__gte=_local_midnight(value))
        except OverflowError:
            return queryset

    def filter_date_to(self, queryset, name, value):
        try:
            return queryset.filter(received_at__lt=_local_midnight(value + datetime.timedelta(days=1)))
        except OverflowError:
            return queryset
