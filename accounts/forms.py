from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import PROFILE_FIELDS

HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]


class ProfileForm(forms.ModelForm):
    # The reminders app sends at these hours, in the user's time zone.
    reminder_hour = forms.TypedChoiceField(label=_("Daily reminder at"), choices=HOUR_CHOICES, coerce=int)
    digest_hour = forms.TypedChoiceField(label=_("Weekly email at"), choices=HOUR_CHOICES, coerce=int)

    class Meta:
        model = User
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
