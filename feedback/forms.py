import datetime

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.forms import Form
from core.widgets import DateTimeInput

from .models import MAX_ITEMS_PER_KIND, Feedback, FeedbackItem

RATING_CHOICES = [("", _("No rating")), *[(str(n), str(n)) for n in range(1, 6)]]
ANSWER_MAX_LENGTH = FeedbackItem._meta.get_field("text").max_length


_lazy_format_html = lazy(format_html, SafeString)


def _answer_field(kind, number):
    # Seen as "1.", heard as "Something you like, 1." by a screen reader.
    label = _lazy_format_html('<span class="visually-hidden">{} </span>{}.', kind, number)
    return forms.CharField(
        label=label, required=False, max_length=ANSWER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "next"}),
    )


class AnswersForm(Form):
    """The two questions, three answers each, and an optional rating. At least one answer."""

    like_1 = _answer_field(_("Something you like,"), 1)
    like_2 = _answer_field(_("Something you like,"), 2)
    like_3 = _answer_field(_("Something you like,"), 3)
    improvement_1 = _answer_field(_("Something we could improve,"), 1)
    improvement_2 = _answer_field(_("Something we could improve,"), 2)
    improvement_3 = _answer_field(_("Something we could improve,"), 3)
    rating = forms.TypedChoiceField(
        label=_("Overall, how are we doing? (1 = poor, 5 = excellent)"),
        choices=RATING_CHOICES, coerce=int, empty_value=None, required=False, widget=forms.RadioSelect,
    )

    like_fields = [f"like_{n}" for n in range(1, MAX_ITEMS_PER_KIND + 1)]
    improvement_fields = [f"improvement_{n}" for n in range(1, MAX_ITEMS_PER_KIND + 1)]

    def clean(self):
        data = super().clean()
        if not any((data.get(name) or "").strip() for name in self.like_fields + self.improvement_fields):
            raise forms.ValidationError(_("Write at least one thing you like or one thing we could improve."))
        return data

    def likes_fields(self):
        return [self[name] for name in self.like_fields]

    def improvements_fields(self):
        return [self[name] for name in self.improvement_fields]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "likes": [data[name] for name in self.like_fields],
            "improvements": [data[name] for name in self.improvement_fields],
            "rating": data["rating"],
        }


class FeedbackForm(AnswersForm):
    """Taken by a member of staff, in person or on the phone."""

    channel = forms.ChoiceField(
        label=_("How did you get it?"),
        choices=[c for c in Feedback.Channel.choices if c[0] != Feedback.Channel.LINK],
        initial=Feedback.Channel.IN_PERSON,
        widget=forms.RadioSelect,
    )
    received_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].label = _("Their overall rating (1 = poor, 5 = excellent)")
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value and value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("That is in the future."))
        return value

    def answers(self) -> dict:
        return {**super().answers(), "channel": self.cleaned_data["channel"],
                "received_at": self.cleaned_data["received_at"]}
