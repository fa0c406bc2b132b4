import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FollowUp, Interaction

MONEY_FIELDS = ("amount_charged", "amount_refunded")


def active_users():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class InteractionForm(forms.ModelForm):
    """The checklist. Money fields exist only for the owner; a follow-up can be set in the same form."""

    followup_description = forms.CharField(
        label=_("What follow-up is needed?"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Send the quote for the hedge")}),
    )
    followup_due = forms.DateField(label=_("When?"), required=False, widget=DateInput)
    followup_assignee = forms.ModelChoiceField(label=_("Who?"), queryset=None, required=False)

    class Meta:
        model = Interaction
        fields = [
            "channel", "direction", "occurred_at", "duration_seconds",
            "asked_for", "attitude", "attitude_note", "we_said_did", "could_do_better",
            "asked_for_sale", "asked_for_referral", "more_services_ideas", "resolved_first_contact",
            "amount_charged", "amount_refunded",
        ]
        widgets = {
            "occurred_at": DateTimeInput,
            "asked_for": forms.Textarea(attrs={"rows": 2}),
            "we_said_did": forms.Textarea(attrs={"rows": 2}),
            "could_do_better": forms.Textarea(attrs={"rows": 2}),
            "more_services_ideas": forms.Textarea(attrs={"rows": 2}),
            "attitude": forms.RadioSelect,
            "channel": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "duration_seconds": forms.NumberInput(attrs={"min": 0, "data-call-timer-target": "1"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.can_see_money = user.is_owner
        if not self.can_see_money:
            for name in MONEY_FIELDS:
                del self.fields[name]
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["attitude"].choices = [("", _("Not noted"))] + list(Interaction.Attitude.choices)
        self.fields["followup_assignee"].queryset = active_users()
        self.fields["followup_assignee"].initial = user.pk
        self.fields["followup_assignee"].empty_label = None
        if self.instance.pk:
            # Follow-ups of an existing interaction are edited on their own.
            for name in ("followup_description", "followup_due", "followup_assignee"):
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        timer = HTML('{% include "interactions/_call_timer.html" %}')
        money = Div(Div("amount_charged", css_class="col-6"), Div("amount_refunded", css_class="col-6"),
                    css_class="row") if self.can_see_money else HTML("")
        followup = Fieldset(
            _("Follow-up"),
            Div(Div("followup_description", css_class="col-md-6"), Div("followup_due", css_class="col-6 col-md-3"),
                Div("followup_assignee", css_class="col-6 col-md-3"), css_class="row"),
        ) if "followup_description" in self.fields else HTML("")
        self.helper.layout = Layout(
            Div(Div("channel", css_class="col-md-6"), Div("direction", css_class="col-md-6"), css_class="row"),
            Div(Div("occurred_at", css_class="col-6"), Div(timer, "duration_seconds", css_class="col-6"), css_class="row"),
            "asked_for",
            Div(Div("attitude", css_class="col-md-6"), Div("attitude_note", css_class="col-md-6"), css_class="row"),
            "we_said_did",
            followup,
            HTML('<details class="mb-3 checklist-more"{% if form.could_do_better.value or form.more_services_ideas.value %} open{% endif %}><summary class="fw-semibold py-2">' + str(_("More of the checklist")) + "</summary>"),
            "could_do_better",
            Div(Div("asked_for_sale", css_class="col-sm-6"), Div("asked_for_referral", css_class="col-sm-6"),
                Div("resolved_first_contact", css_class="col-sm-6"), css_class="row"),
            "more_services_ideas",
            money,
            HTML("</details>"),
        )

    def clean_duration_seconds(self):
        value = self.cleaned_data.get("duration_seconds")
        if value is not None and value < 0:
            raise forms.ValidationError(_("A duration cannot be negative."))
        return value

    def clean(self):
        cleaned = super().clean()
        description = cleaned.get("followup_description")
        due = cleaned.get("followup_due")
        if description and not due and "followup_due" not in self.errors:
            self.add_error("followup_due", _("Say when the follow-up is due."))
        if due and not description:
            self.add_error("followup_description", _("Say what needs to be done."))
        return cleaned

    def followup_fields(self) -> dict:
        if "followup_description" not in self.fields:
            return {}
        return {
            "followup_description": self.cleaned_data.get("followup_description", ""),
            "followup_due": self.cleaned_data.get("followup_due"),
            "followup_assignee": self.cleaned_data.get("followup_assignee"),
        }


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["description", "due_date", "assigned_to"]
        widgets = {"due_date": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = active_users()
        if not self.instance.pk:
            self.fields["assigned_to"].initial = user.pk
            self.fields["due_date"].initial = timezone.localdate() + datetime.timedelta(days=1)
        self.helper = FormHelper()
        self.helper.form_tag = False


class FollowUpDoneForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpTryAgainForm(forms.Form):
    due_date = forms.DateField(label=_("Try again on"), widget=DateInput)
    note = forms.CharField(label=_("What happened"), required=False, max_length=300,
                           widget=forms.TextInput(attrs={"placeholder": _("No answer, left a message")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = timezone.localdate() + datetime.timedelta(days=2)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Pick today or a later day."))
        return due
