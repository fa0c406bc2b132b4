"""Input parsing every app shares: each typed value gets a clear answer before any costly conversion or query.

- `Form` / `ModelForm`: every text field refuses control characters, with a message beside the field.
- `BoundedIntegerField` / `IdField` / `parse_id`: numbers whose digits are counted before int() runs.
- `IdChoiceField`: a model choice whose value reaches a widget or a query only when it can be an id.
- `SearchField` / `SearchForm`: a search box's text, cut to length, refused when it holds control characters.
- `json_body`: a request's JSON, bounded in size and nesting depth before it is parsed.
"""

import json

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _

from .models import BusinessSettings
from .validators import NoControlCharactersValidator, json_depth

# The largest value a bigint primary key holds.
MAX_ID = 2**63 - 1


def refuse_control_characters(field: forms.Field) -> None:
    """Gives a text field the control-character check (once); a textarea keeps its tabs and line breaks."""
    if not isinstance(field, forms.CharField):
        return
    # NUL is one of the control characters: one message instead of two.
    field.validators = [v for v in field.validators if not isinstance(v, validators.ProhibitNullCharactersValidator)]
    if not any(isinstance(v, NoControlCharactersValidator) for v in field.validators):
        field.validators.append(NoControlCharactersValidator(multiline=isinstance(field.widget, forms.Textarea)))


class TextRulesMixin:
    """For every form of the project: no text field takes control characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            refuse_control_characters(field)


class Form(TextRulesMixin, forms.Form):
    pass


class ModelForm(TextRulesMixin, forms.ModelForm):
    pass


def _digits_text(value, max_digits: int) -> str | None:
    """`value` as the text of an optionally signed whole number of at most `max_digits` ASCII digits, or None."""
    text = str(value).strip()
    unsigned = text[1:] if text[:1] in "+-" else text
    if not unsigned or len(unsigned) > max_digits or not (unsigned.isascii() and unsigned.isdigit()):
        return None
    return text


class BoundedIntegerField(forms.IntegerField):
    """A whole number between min_value and max_value (both required); longer text is refused before int() runs.

    int() of a few thousand digits costs real time and then fails with ValueError; counting the digits first
    answers "Enter a whole number." at once, whatever was sent.
    """

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        self.max_digits = len(str(max(abs(min_value), abs(max_value))))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _digits_text(value, self.max_digits)
        if text is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class IdField(BoundedIntegerField):
    """A database id: 1 to 2**63 - 1."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def parse_id(value) -> int | None:
    """An id from a query string or a JSON value, or None when it is missing or cannot be one."""
    if value is None or isinstance(value, bool) or isinstance(value, float):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    text = _digits_text(value, len(str(MAX_ID)))
    if text is None or text.startswith(("-", "+")):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for a hidden id (the customer picker): a value that cannot be an id is refused as an
    unknown choice before the query, and is never handed to the widget, which looks the chosen row up."""

    def to_python(self, value):
        if value not in self.empty_values and not hasattr(value, "_meta") and parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": ""})
        return super().to_python(value)

    def prepare_value(self, value):
        if value in self.empty_values or hasattr(value, "_meta"):
            return super().prepare_value(value)
        return parse_id(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField (tick boxes of tags): a value that cannot be an id is refused as an unknown choice
    before the query, which a number past the database's integers would break."""

    def _check_values(self, value):
        for item in value:
            if not hasattr(item, "_meta") and parse_id(item) is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": str(item)[:50]})
        return super()._check_values(value)


SEARCH_MAX_LENGTH = 100
# For a search box that is not a SearchField (one that refuses long text, say): the same message.
search_text_validator = NoControlCharactersValidator(message=_("Remove the control characters from the search."))


class SearchField(forms.CharField):
    """What was typed in a search box. Longer text is cut, not refused: a long paste still searches by its
    beginning. Control characters are refused: they match nothing, and PostgreSQL refuses NUL outright."""

    def __init__(self, *, max_length: int = SEARCH_MAX_LENGTH, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.cut_length = max_length
        self.validators = [search_text_validator]

    def to_python(self, value):
        return super().to_python(value)[: self.cut_length]


class SearchForm(Form):
    """?q=…: `query` is what to search for, "" when the text was refused (and `refusal` says why)."""

    q = SearchField()

    @property
    def query(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""

    @property
    def refusal(self) -> str:
        return "" if self.is_valid() else self.errors["q"][0]


JSON_MAX_BYTES = 64 * 1024
JSON_MAX_DEPTH = 20


class JsonBodyRefused(Exception):
    def __init__(self, message, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def json_body(request, *, max_bytes: int = JSON_MAX_BYTES, max_depth: int = JSON_MAX_DEPTH):
    """The request's JSON document. Raises JsonBodyRefused (413 when too large, 400 otherwise) with a message."""
    too_large = JsonBodyRefused(_("This is more than the server takes at once (%(kb)s KB).") % {"kb": max_bytes // 1024},
                                status=413)
    # The declared length spares reading a body that is too large; the read is bounded anyway, for a
    # body sent without one.
    declared = _digits_text(request.META.get("CONTENT_LENGTH") or "0", 12)
    if declared is not None and int(declared) > max_bytes:
        raise too_large
    raw = request.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise too_large
    if json_depth(raw) > max_depth:
        raise JsonBodyRefused(_("This nests deeper than the server reads (%(depth)s levels).") % {"depth": max_depth})
    try:
        return json.loads(raw)
    except ValueError:
        raise JsonBodyRefused(_("This is not JSON the server can read.")) from None


class BusinessSettingsForm(ModelForm):
    WEEKDAYS = [("0", _("Monday")), ("1", _("Tuesday")), ("2", _("Wednesday")), ("3", _("Thursday")),
                ("4", _("Friday")), ("5", _("Saturday")), ("6", _("Sunday"))]
    working_days = forms.MultipleChoiceField(label=_("Working days"), choices=WEEKDAYS,
                                             widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = BusinessSettings
        fields = ["business_name", "hourly_cost", "default_cadence_days", "time_zone", "working_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["working_days"] = [str(d) for d in self.instance.working_day_numbers]

    def clean_working_days(self):
        return ",".join(sorted(set(self.cleaned_data["working_days"])))
