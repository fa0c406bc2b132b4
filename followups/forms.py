import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import active_users
from core.conflicts import VersionedFormMixin
from core.forms import Form, ModelForm
from core.widgets import DateInput

from .models import FollowUp


class FollowUpForm(VersionedFormMixin, ModelForm):
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
        self.helper.disable_csrf = True  # the page's <form> has its own token
        self.helper.render_hidden_fields = True  # the version an edit was opened with
        self.helper.layout = Layout(
            "description",
            Div("due_date", HTML('{% include "followups/_quick_dates.html" with for="id_due_date" %}')),
            "assigned_to",
        )


class FollowUpDoneForm(Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpTryAgainForm(Form):
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
