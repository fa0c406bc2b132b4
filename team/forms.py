from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import FIELD_WORKER_GROUP, OWNER_GROUP
from core.forms import Form

from . import selectors

ROLE_CHOICES = [
    (FIELD_WORKER_GROUP, _("Field worker: customers, follow-ups and their own work")),
    (OWNER_GROUP, _("Owner: everything, money and administration included")),
]


class InviteForm(Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("They get a link here to choose their own password, and sign in with this address."),
    )
    group_name = forms.ChoiceField(
        label=_("Role"), choices=ROLE_CHOICES, initial=FIELD_WORKER_GROUP, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "words"})
        self.fields["last_name"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "words"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "none"})
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_email(self):
        email = self.cleaned_data["email"]
        if selectors.email_in_use(email):
            raise forms.ValidationError(_("Someone on the team already uses this address."))
        return email


class DeactivateForm(Form):
    successor = forms.ModelChoiceField(
        label=_("Hand their work to"), queryset=None, empty_label=None,
        help_text=_("Their open follow-ups and the customers they look after go to this person."),
    )

    def __init__(self, *args, leaver, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = selectors.successors_for(leaver=leaver)
        self.helper = FormHelper()
        self.helper.form_tag = False


class LockoutLiftForm(Form):
    username = forms.CharField(max_length=255, required=False, strip=False)
    ip_address = forms.GenericIPAddressField()
