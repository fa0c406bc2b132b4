import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import active_users
from core.conflicts import VersionedFormMixin
from core.forms import Form, IdChoiceField, IdField, ModelForm
from core.widgets import CustomerPickerWidget, DateInput

from .models import NEW_PLAN_DAYS, ActionPlan, ActionStep


class PlanForm(ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "audience_kind", "customer", "tag", "purpose", "owner", "start_date", "end_date", "status"]
        field_classes = {"customer": IdChoiceField}
        widgets = {
            "audience_kind": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput,
            "end_date": DateInput,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()
        self.fields["customer"].widget = CustomerPickerWidget(queryset=self.fields["customer"].queryset)
        self.fields["customer"].help_text = _("When it serves one customer: a few letters of their name or phone.")
        self.fields["tag"].help_text = _("When it serves every customer with this tag.")
        if not self.instance.pk:
            today = timezone.localdate()
            self.fields["owner"].initial = user.pk
            self.fields["start_date"].initial = today
            self.fields["end_date"].initial = today + datetime.timedelta(days=NEW_PLAN_DAYS)
            self.fields["status"].initial = ActionPlan.Status.ACTIVE
        self.fields["title"].widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title",
            "audience_kind",
            Div(Div("customer", css_class="col-md-6"), Div("tag", css_class="col-md-6"), css_class="row"),
            "purpose",
            Div(Div("start_date", css_class="col-6 col-md-3"), Div("end_date", css_class="col-6 col-md-3"),
                Div("owner", css_class="col-6 col-md-3"), Div("status", css_class="col-6 col-md-3"), css_class="row"),
        )


class StepForm(VersionedFormMixin, ModelForm):
    class Meta:
        model = ActionStep
        fields = ["what", "due_date", "assignee", "is_creative", "source"]
        widgets = {"due_date": DateInput}

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["assignee"].queryset = active_users()
        if not self.instance.pk:
            self.fields["due_date"].initial = max(timezone.localdate(), plan.start_date)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True  # the version an edit was opened with
        self.helper.layout = Layout(
            "what",
            Div(Div("due_date", css_class="col-6"), Div("assignee", css_class="col-6"), css_class="row"),
            "is_creative",
            "source",
        )

    def outside_plan_warning(self) -> str:
        """Non-blocking: a step may fall outside the plan's dates, but the user should know."""
        due = self.cleaned_data.get("due_date")
        if due and not self.plan.covers_date(due):
            return _("This step is due on %(due)s, outside the plan's dates (%(start)s to %(end)s).") % {
                "due": due.strftime("%d %b %Y"),
                "start": self.plan.start_date.strftime("%d %b %Y"),
                "end": self.plan.end_date.strftime("%d %b %Y"),
            }
        return ""


class StepDoneForm(Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class StepFromTextForm(Form):
    """"Make this a step": into an existing open plan, or a new draft plan."""

    plan = forms.ModelChoiceField(
        label=_("Add to plan"), queryset=None, required=False, empty_label=_("A new plan…"),
    )
    new_plan_title = forms.CharField(label=_("New plan title"), max_length=200, required=False)
    what = forms.CharField(label=_("What"), max_length=300)
    due_date = forms.DateField(label=_("Due"), widget=DateInput)
    assignee = forms.ModelChoiceField(label=_("Who"), queryset=None, required=False)
    is_creative = forms.BooleanField(label=_("Creative service action"), required=False)
    source = forms.CharField(label=_("Where it came from"), max_length=300, required=False)
    customer = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = ActionPlan.objects.filter(
            status__in=[ActionPlan.Status.ACTIVE, ActionPlan.Status.DRAFT]
        ).order_by("title", "id")
        self.fields["assignee"].queryset = active_users()
        self.fields["assignee"].initial = user.pk
        self.fields["due_date"].initial = timezone.localdate() + datetime.timedelta(days=7)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "what",
            Div(Div("plan", css_class="col-md-6"), Div("new_plan_title", css_class="col-md-6"), css_class="row"),
            Div(Div("due_date", css_class="col-6"), Div("assignee", css_class="col-6"), css_class="row"),
            "is_creative",
            "source",
            "customer",
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("plan") and not cleaned.get("new_plan_title", "").strip() and "plan" not in self.errors:
            self.add_error("new_plan_title", _("Choose a plan above, or give the new plan a title."))
        return cleaned
