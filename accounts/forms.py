import unicodedata

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import ModelForm, TextRulesMixin

from .models import User
from .services import PROFILE_FIELDS

HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]


class ProfileForm(ModelForm):
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


class LoginForm(TextRulesMixin, auth_forms.AuthenticationForm):
    keep_signed_in = forms.BooleanField(
        label=_("Keep me signed in on this device"),
        required=False,
        help_text=_("Only on a device nobody else uses. Otherwise you are signed out after a while without use."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        # Django's login form sets the username's maximum length without checking it: a longer one would reach
        # the lockout's own table (255 characters) and fail there on PostgreSQL.
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))


def _same_email(a: str, b: str) -> bool:
    return unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()


class PasswordResetForm(TextRulesMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocapitalize": "none", "autofocus": True})

    def get_users(self, email):
        """Active users with this address, those who never chose a password included.

        Django leaves those out (they might sign in elsewhere), but here they are people the owner added by
        email who lost the invitation: the same link lets them choose one.
        """
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if _same_email(email, user.email))
