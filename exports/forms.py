"""The Export page's choices beyond the customer list's own (q, status, tag: customers.filters)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import Form, IdChoiceField
from core.widgets import DateInput

# Outside these, a date is a typo; and a day's bounds in a time zone could not be worked out near year 1 or 9999.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)
STATES = [("", _("Open and done")), ("open", _("Open")), ("done", _("Done"))]


class ExportForm(Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    member = IdChoiceField(label=_("Team member"), queryset=User.objects.none(), required=False,
                           empty_label=_("Everyone"))
    state = forms.ChoiceField(label=_("Follow-ups"), choices=STATES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Leavers too: their interactions and follow-ups are still part of the record.
        self.fields["member"].queryset = User.objects.order_by("first_name", "last_name", "username")

    def _clean_day(self, name: str):
        day = self.cleaned_data[name]
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(_("Choose a date between the years 1900 and 2999."))
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The end comes before the start."))
        return cleaned

    def period(self, tz) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """(start, end) in `tz`: the first day's midnight and the midnight after the last day; None when open."""
        first, last = self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz) if first else None
        end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz) if last else None
        return start, end
