"""The Insights page's filters: ?period=30|90|365|custom&date_from=&date_to=&member=

A bad value is shown beside its field and the page falls back to its default (the last 90 days, everyone), so
a mistyped link still answers.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import Form, IdChoiceField
from core.widgets import DateInput

DEFAULT_DAYS = 90
PERIOD_CHOICES = [("30", _("Last 30 days")), ("90", _("Last 90 days")), ("365", _("Last 365 days")),
                  ("custom", _("From … to …"))]
# A custom period reads at most this many days: the figures stay quick, and a typo like 0202 is caught.
MAX_CUSTOM_DAYS = 3 * 366
EARLIEST = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """Local days, both ends included, and the instants that bound them in the viewer's zone."""

    first_day: datetime.date
    last_day: datetime.date
    start: datetime.datetime
    end: datetime.datetime  # exclusive: midnight after last_day

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @classmethod
    def of_days(cls, first_day: datetime.date, last_day: datetime.date, tz) -> "Period":
        return cls(first_day, last_day, _midnight(first_day, tz), _midnight(last_day + datetime.timedelta(days=1), tz))


def _midnight(day: datetime.date, tz) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


class MemberField(IdChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class InsightsForm(Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    member = MemberField(label=_("Team member"), queryset=User.objects.none(), required=False,
                         empty_label=_("Everyone"))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["member"].queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name", "id")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") != "custom":
            return cleaned
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first is None or last is None:
            if "date_from" not in self.errors and "date_to" not in self.errors:
                self.add_error("date_from", _("Give both dates of the period."))
            return cleaned
        if first < EARLIEST or last < EARLIEST:
            self.add_error("date_from", _("Choose dates from the year 2000 on."))
        elif last < first:
            self.add_error("date_to", _("The end comes before the start."))
        elif (last - first).days + 1 > MAX_CUSTOM_DAYS:
            self.add_error("date_to", _("Choose at most three years."))
        return cleaned

    def period_in(self, tz) -> Period:
        """The chosen period, or the last 90 days when the choice is missing or wrong."""
        today = timezone.localdate(timezone.now(), tz)
        self.is_valid()
        choice = self.cleaned_data.get("period")
        if choice == "custom" and not ({"date_from", "date_to"} & self.errors.keys()):
            return Period.of_days(self.cleaned_data["date_from"], self.cleaned_data["date_to"], tz)
        days = int(choice) if choice and choice != "custom" else DEFAULT_DAYS
        return Period.of_days(today - datetime.timedelta(days=days - 1), today, tz)

    def member_chosen(self):
        """The team member whose work to show; None: everyone (also when the choice is wrong)."""
        self.is_valid()
        return self.cleaned_data.get("member")
