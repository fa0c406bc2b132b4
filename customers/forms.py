from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.conflicts import VersionedFormMixin
from core.forms import Form, IdChoiceField, IdField, IdMultipleChoiceField, ModelForm, parse_id
from core.widgets import CustomerPickerWidget, DateInput

from .models import Customer, Tag
from .services import CUSTOMER_UPDATE_FIELDS


class CustomerForm(VersionedFormMixin, ModelForm):
    # The ids of the possible duplicates the user was warned about ("12,40"), carried by the
    # warning itself (customers/_duplicates.html): saving goes ahead only when every duplicate
    # found now is one the user has seen.
    confirm_duplicate = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    class Meta:
        model = Customer
        fields = [*CUSTOMER_UPDATE_FIELDS, "tags"]
        field_classes = {"referred_by": IdChoiceField, "tags": IdMultipleChoiceField}
        widgets = {
            "access_notes": forms.Textarea(attrs={"rows": 2}),
            "key_points": forms.Textarea(attrs={"rows": 2}),
            "personality": forms.Textarea(attrs={"rows": 2}),
            "wants": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 2}),
            "hard_needs": forms.Textarea(attrs={"rows": 2}),
            "soft_needs": forms.Textarea(attrs={"rows": 2}),
            "tags": forms.CheckboxSelectMultiple,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
            "alt_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "customer_since": DateInput,
            "contact_every_days": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 3650}),
        }
        help_texts = {
            "contact_every_days": _("Empty: the shortest among their tags', else the business's."),
            "customer_since": _("Brought in from a notebook? The day they really became a customer."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.order_by("name")
        referrer_qs = Customer.objects.order_by("sort_name", "id").only("id", "name", "company", "kind")
        if self.instance.pk:
            referrer_qs = referrer_qs.exclude(pk=self.instance.pk)
        self.fields["referred_by"].queryset = referrer_qs
        self.fields["referred_by"].widget = CustomerPickerWidget(queryset=self.fields["referred_by"].queryset, exclude_id=self.instance.pk)
        self.fields["referred_by"].error_messages["invalid_choice"] = _(
            "Choose another customer: this one cannot be found, or is the customer being edited."
        )
        self.fields["referred_by"].help_text = _("Type a few letters of their name or digits of their phone.")
        self.fields["name"].widget.attrs["autofocus"] = True
        # Left empty, it keeps what is stored (today for a new customer): a form sent without it loses nothing.
        self.fields["customer_since"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has its own token
        self.helper.render_hidden_fields = True  # the version the form was opened with
        self.helper.layout = Layout(
            Fieldset(
                _("Who"),
                Div(Div("name", css_class="col-md-6"), Div("kind", css_class="col-md-3"),
                    Div("status", css_class="col-md-3"), css_class="row"),
                Div(Div("company", css_class="col-md-6"), Div("assigned_to", css_class="col-md-6"), css_class="row"),
            ),
            Fieldset(
                _("Contact"),
                Div(Div("phone", css_class="col-md-4"), Div("alt_phone", css_class="col-md-4"),
                    Div("email", css_class="col-md-4"), css_class="row"),
                HTML(
                    '<div id="duplicate-warning" aria-live="polite" hx-get="{% url \'customers:check_duplicates\' %}'
                    '{% if customer %}?exclude={{ customer.pk }}{% endif %}" hx-trigger="change from:#id_phone, '
                    'change from:#id_alt_phone, change from:#id_email" hx-include="#id_phone, #id_alt_phone, #id_email">'
                    '{% include "customers/_duplicates.html" %}</div>'
                ),
                Div(Div("preferred_contact", css_class="col-md-6"), Div("do_not_contact", css_class="col-md-6 pt-md-4"),
                    css_class="row"),
            ),
            Fieldset(
                _("Where"),
                Div(Div("street", css_class="col-md-6"), Div("town", css_class="col-md-4"),
                    Div("postcode", css_class="col-md-2"), css_class="row"),
                "access_notes",
            ),
            Fieldset(
                _("Knowing them"),
                Div(Div("wants", css_class="col-md-6"), Div("needs", css_class="col-md-6"), css_class="row"),
                Div(Div("hard_needs", css_class="col-md-6"), Div("soft_needs", css_class="col-md-6"), css_class="row"),
                Div(Div("key_points", css_class="col-md-6"), Div("personality", css_class="col-md-6"), css_class="row"),
            ),
            Fieldset(
                _("How they found us"),
                Div(Div("source", css_class="col-md-6"), Div("referred_by", css_class="col-md-6"), css_class="row"),
                "tags",
            ),
            Fieldset(
                _("Keeping them"),
                Div(Div("customer_since", css_class="col-md-6"), Div("contact_every_days", css_class="col-md-6"),
                    css_class="row"),
                Div(Div("happy_to_be_reference", css_class="col-md-6"), Div("happy_to_try_new", css_class="col-md-6"),
                    css_class="row"),
            ),
        )

    def clean_customer_since(self):
        since = self.cleaned_data.get("customer_since")
        if since and since > timezone.localdate():
            raise forms.ValidationError(_("A customer cannot start after today."), code="future")
        return since or self.instance.customer_since

    def confirmed_duplicate_ids(self) -> set[int]:
        value = self.cleaned_data.get("confirm_duplicate") or ""
        return {number for number in map(parse_id, value.split(",")) if number}


class DuplicateCheckForm(Form):
    """The as-you-type duplicate check (?phone=&alt_phone=&email=&exclude=), while the form is still being typed."""

    phone = forms.CharField(required=False, max_length=128)
    alt_phone = forms.CharField(required=False, max_length=128)
    email = forms.CharField(required=False, max_length=254)
    exclude = IdField(required=False)

    def values(self) -> dict:
        """Each value, or its empty value when it does not pass: the customer form says why when it is sent."""
        self.is_valid()
        return {name: self.cleaned_data.get(name, "" if name != "exclude" else None) for name in self.fields}
