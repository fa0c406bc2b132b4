from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import Form

from . import columns
from .models import Duplicates

ACCEPT = ".csv,.txt,.tsv,.xlsx,.vcf,text/csv,text/vcard,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Your spreadsheet or contacts file"),
        help_text=gettext_lazy("CSV (as Excel, Numbers or Google Sheets save it), Excel .xlsx, or a phone's contacts "
                               "as .vcf."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("This file is %(size).1f MB; the largest we take is %(limit)s MB. Split it in two, or save it "
                  "without pictures and formatting.") % {"size": upload.size / 1024 / 1024, "limit": limit})
        return upload


class MappingForm(Form):
    """A target per column, the sheet, the date order and what to do with duplicates."""

    sheet = forms.ChoiceField(label=gettext_lazy("Sheet"), required=False)
    date_order = forms.ChoiceField(label=gettext_lazy("How your file writes dates"), required=False,
                                   choices=[("", gettext_lazy("Choose…"))] + columns.DATE_ORDERS)
    duplicates = forms.ChoiceField(
        label=gettext_lazy("When a row is already a customer (same phone or email), or repeats an earlier row"),
        choices=Duplicates.choices, widget=forms.RadioSelect)

    def __init__(self, *args, batch, date_ambiguous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        self.date_ambiguous = date_ambiguous
        self.fields["sheet"].choices = [(name, name) for name in batch.sheets]
        for index, name in enumerate(batch.header):
            self.fields[f"col_{index}"] = forms.ChoiceField(label=name, choices=columns.TARGETS, required=False)
        self.column_names = [f"col_{index}" for index in range(len(batch.header))]

    def columns(self):
        return [self[name] for name in self.column_names]

    @property
    def sheet_changed(self) -> bool:
        return bool(self.batch.sheets) and self.cleaned_data.get("sheet") not in ("", self.batch.sheet)

    def clean(self):
        data = super().clean()
        if self.errors or self.sheet_changed:
            return data
        mapping = [data.get(name) or "" for name in self.column_names]
        for problem in columns.mapping_problems(mapping):
            self.add_error(None, problem)
        if "customer_since" in mapping and self.date_ambiguous and not data.get("date_order"):
            self.add_error("date_order", _("Dates such as 04/03/2024 could be 4 March or April 3: say which your "
                                           "file means."))
        data["mapping"] = mapping
        return data
