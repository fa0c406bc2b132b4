import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import active_users
from core.conflicts import VersionedFormMixin
from core.forms import ModelForm
from core.widgets import DateInput, DateTimeInput

from .models import Interaction
from .services import INTERACTION_UPDATE_FIELDS

MONEY_FIELDS = ("amount_charged", "amount_refunded")
# Radio choices drawn as a row of buttons: one tap each, while talking.
CHOICE_BUTTONS = "interactions/_choice_buttons.html"


# A visit or a call of more than a day is a typing slip; checking the text's shape first means an input such as
# "9e999997" is refused at once instead of being turned into a number with a million digits.
MAX_DURATION_SECONDS = 24 * 60 * 60
DURATION_MAX_LENGTH = 12
_MINUTES = re.compile(r"[0-9]{1,5}(?:\.[0-9]*)?|\.[0-9]+")
_CLOCK = re.compile(r"[0-9]{1,3}(?::[0-9]{1,2}){1,2}")


class DurationTooLong(ValueError):
    pass


def parse_duration(text: str) -> int | None:
    """Seconds from what a person types: "5" or "2.5" (minutes), "4:30" (m:ss) or "1:02:03" (h:mm:ss).

    ValueError when it is none of these; DurationTooLong beyond MAX_DURATION_SECONDS.
    """
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    if len(text) > DURATION_MAX_LENGTH:
        raise ValueError(text)
    if _MINUTES.fullmatch(text):
        seconds = int((Decimal(text) * 60).to_integral_value())
    elif _CLOCK.fullmatch(text):
        numbers = [int(part) for part in text.split(":")]
        if any(n >= 60 for n in numbers[1:]):
            raise ValueError(text)
        seconds = 0
        for number in numbers:
            seconds = seconds * 60 + number
    else:
        raise ValueError(text)
    if seconds > MAX_DURATION_SECONDS:
        raise DurationTooLong(text)
    return seconds


def format_duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class DurationField(forms.CharField):
    """How long, typed the way people say it; stored in seconds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", str(DURATION_MAX_LENGTH))

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_duration(value)
        except DurationTooLong:
            raise forms.ValidationError(_("At most 24 hours (24:00:00)."), code="max_value") from None
        except ValueError:
            raise forms.ValidationError(
                _("Type minutes (5), or minutes and seconds (4:30)."), code="invalid"
            ) from None

    def prepare_value(self, value):
        return format_duration(value) if isinstance(value, int) else value


def _is_blank(value) -> bool:
    """Nothing worth showing: empty, unticked, or an amount of zero."""
    if value in (None, "", False):
        return True
    try:
        return Decimal(str(value).strip()) == 0
    except ArithmeticError:
        return False


class InteractionForm(VersionedFormMixin, ModelForm):
    """The checklist. Money fields exist only for the owner; a follow-up can be set in the same form.

    Built to be filled in while talking: channel, direction and "now" are preset, the call timer fills
    the duration, the follow-up sits in the main part; the rest of the checklist is folded away.
    """

    # Keeps the model's name (the offline sync and the services read it) but is typed as minutes or m:ss.
    duration_seconds = DurationField(
        label=_("How long"),
        help_text=_("Minutes, or m:ss. The call timer fills it in."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "0:00",
                                      "data-call-timer-target": "1"}),
    )
    followup_description = forms.CharField(
        label=_("What follow-up is needed?"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Send the quote for the hedge")}),
    )
    followup_due = forms.DateField(label=_("When?"), required=False, widget=DateInput)
    followup_assignee = forms.ModelChoiceField(label=_("Who?"), queryset=None, required=False)

    # Folded under "More of the checklist"; unfolded when one of them holds something or an error.
    FOLDED_FIELDS = ("could_do_better", "asked_for_sale", "asked_for_referral", "resolved_first_contact",
                     "more_services_ideas", *MONEY_FIELDS)
    FOLLOWUP_FIELDS = ("followup_description", "followup_due", "followup_assignee")

    class Meta:
        model = Interaction
        fields = INTERACTION_UPDATE_FIELDS
        widgets = {
            "occurred_at": DateTimeInput,
            "asked_for": forms.Textarea(attrs={"rows": 2}),
            "we_said_did": forms.Textarea(attrs={"rows": 2}),
            "could_do_better": forms.Textarea(attrs={"rows": 2}),
            "more_services_ideas": forms.Textarea(attrs={"rows": 2}),
            "attitude": forms.RadioSelect,
            "channel": forms.RadioSelect,
            "direction": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.can_see_money = user.is_owner
        if self.can_see_money:
            for name in MONEY_FIELDS:
                # Left empty means nothing changed hands; only a negative amount is an error.
                self.fields[name].required = False
                self.fields[name].widget.attrs.update({"min": "0", "inputmode": "decimal", "placeholder": "0.00"})
                if not self.instance.pk and name not in self.initial:
                    self.initial[name] = None  # an empty box to type into, rather than a 0 to delete first
        else:
            for name in MONEY_FIELDS:
                del self.fields[name]
        # "When" defaults to now, to the minute, in the user's zone (the middleware activates it).
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["occurred_at"].show_hidden_initial = False
        self.fields["attitude"].choices = [("", _("Not noted"))] + list(Interaction.Attitude.choices)
        self.fields["followup_assignee"].queryset = active_users()
        self.fields["followup_assignee"].initial = user.pk
        self.fields["followup_assignee"].empty_label = None
        if self.instance.pk:
            # Follow-ups of an existing interaction are edited on their own.
            for name in self.FOLLOWUP_FIELDS:
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has its own token
        self.helper.render_hidden_fields = True  # the version an edit was opened with
        timer = HTML('{% include "interactions/_call_timer.html" %}')
        money = Div(Div("amount_charged", css_class="col-6"), Div("amount_refunded", css_class="col-6"),
                    css_class="row") if self.can_see_money else HTML("")
        followup = Fieldset(
            _("Follow-up"),
            Div(Div("followup_description", css_class="col-md-6"),
                Div("followup_due", HTML('{% include "followups/_quick_dates.html" with for="id_followup_due" %}'),
                    css_class="col-sm-6 col-md-3"),
                Div("followup_assignee", css_class="col-sm-6 col-md-3"), css_class="row"),
            css_class="followup-fieldset",
        ) if "followup_description" in self.fields else HTML("")
        self.helper.layout = Layout(
            Div(Div(Field("channel", template=CHOICE_BUTTONS), css_class="col-md-6"),
                Div(Field("direction", template=CHOICE_BUTTONS), css_class="col-md-6"), css_class="row"),
            Div(Div("occurred_at", css_class="col-sm-6"), Div(timer, "duration_seconds", css_class="col-sm-6"), css_class="row"),
            "asked_for",
            Div(Div(Field("attitude", template=CHOICE_BUTTONS), css_class="col-lg-7"),
                Div("attitude_note", css_class="col-lg-5"), css_class="row"),
            "we_said_did",
            followup,
            HTML('<details class="mb-3 checklist-more"{% if form.more_open %} open{% endif %}>'
                 '<summary class="fw-semibold py-2">' + str(_("More of the checklist")) + "</summary>"),
            "could_do_better",
            Div(Div("asked_for_sale", css_class="col-sm-6"), Div("asked_for_referral", css_class="col-sm-6"),
                Div("resolved_first_contact", css_class="col-sm-6"), css_class="row"),
            "more_services_ideas",
            money,
            HTML("</details>"),
        )

    @property
    def more_open(self) -> bool:
        """Whether the folded part of the checklist must show: something in it, an error or a conflict in it."""
        conflict = getattr(self, "conflict", None)
        if conflict and conflict.field_names & set(self.FOLDED_FIELDS):
            return True
        for name in self.FOLDED_FIELDS:
            if name not in self.fields:
                continue
            if name in self.errors:
                return True
            if not _is_blank(self[name].value()):
                return True
        return False

    def clean_amount_charged(self):
        return self._amount("amount_charged")

    def clean_amount_refunded(self):
        return self._amount("amount_refunded")

    def _amount(self, name):
        value = self.cleaned_data.get(name)
        return Decimal(0) if value is None else value

    def clean(self):
        cleaned = super().clean()
        description = (cleaned.get("followup_description") or "").strip()
        due = cleaned.get("followup_due")
        if description and not due and "followup_due" not in self.errors:
            self.add_error("followup_due", _("Say when the follow-up is due."))
        if due and not description:
            self.add_error("followup_description", _("Say what needs to be done."))
        return cleaned

    def interaction_fields(self) -> dict:
        """The model fields this user may set, for services.interaction_create/update."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}

    def followup_fields(self) -> dict:
        if "followup_description" not in self.fields:
            return {}
        return {
            "followup_description": self.cleaned_data.get("followup_description", ""),
            "followup_due": self.cleaned_data.get("followup_due"),
            "followup_assignee": self.cleaned_data.get("followup_assignee"),
        }
