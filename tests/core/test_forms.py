"""core.forms and core.validators: bounded numbers and ids, search text, text rules, bounded JSON."""

import importlib
import json

import pytest
from django import forms
from django.test import RequestFactory

from core.forms import (
    MAX_ID,
    BoundedIntegerField,
    Form,
    IdChoiceField,
    IdField,
    JsonBodyRefused,
    SearchForm,
    TextRulesMixin,
    json_body,
    parse_id,
)
from core.validators import json_depth
from customers.models import Customer
from tests.factories import CustomerFactory

# Every module of the project that holds forms; test_every_project_form_refuses_control_characters reads them.
FORM_MODULES = ["accounts.forms", "customers.forms", "customers.filters", "followups.forms", "interactions.forms",
                "feedback.forms", "feedback.filters", "actionplans.forms", "actionplans.filters", "offline.forms",
                "team.forms"]


@pytest.mark.parametrize(("text", "number"), [("1", 1), (" 42 ", 42), (str(MAX_ID), MAX_ID), (7, 7)])
def test_an_id_field_takes_a_whole_number_from_1_to_2_63_minus_1(text, number):
    assert IdField().clean(text) == number


@pytest.mark.parametrize("text", ["0", "-1", str(MAX_ID + 1), "1" * 5_000, "1e3", "1.0", "²", "٣", "0x1F", "NaN",
                                  "1_000", "+", "\x00"])
def test_an_id_field_refuses_what_cannot_be_an_id(text):
    with pytest.raises(forms.ValidationError):
        IdField().clean(text)


def test_a_bounded_integer_field_counts_digits_before_converting():
    field = BoundedIntegerField(min_value=-5, max_value=500)

    assert field.clean("-5") == -5
    with pytest.raises(forms.ValidationError) as error:
        field.clean("9" * 5_000)
    assert error.value.error_list[0].code == "invalid"
    with pytest.raises(forms.ValidationError) as error:
        field.clean("501")
    assert error.value.error_list[0].code == "max_value"


@pytest.mark.parametrize(("value", "expected"), [
    ("12", 12), (12, 12), ("", None), (None, None), ("0", None), ("-3", None), ("+3", None), ("1" * 5_000, None),
    (1e308, None), (True, None), (2**63, None), ("²", None), ("abc", None),
])
def test_parse_id(value, expected):
    assert parse_id(value) == expected


class _SearchAndText(Form):
    q = forms.CharField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize("text", ["\x00", "a\x07b", "\x1b[31m", "\x7f", "\x85", "tab\there", "line\nbreak"])
def test_a_one_line_field_refuses_control_characters(text):
    form = _SearchAndText({"q": f"x{text}x"})

    assert form.errors["q"] == ["Remove the control characters (invisible characters such as NUL) from this text."]


def test_a_textarea_keeps_tabs_and_line_breaks_but_refuses_nul():
    assert _SearchAndText({"notes": "one\r\n\ttwo"}).is_valid()
    assert "notes" in _SearchAndText({"notes": "one\x00two"}).errors


def test_nul_gets_one_message_not_two():
    assert len(_SearchAndText({"q": "\x00"}).errors["q"]) == 1


def test_text_in_other_scripts_and_emoji_is_kept():
    form = _SearchAndText({"q": "Zoë Łukasz 山田 😀 \u200d"})

    assert form.is_valid()


def test_a_search_form_cuts_long_text_and_refuses_control_characters():
    assert SearchForm({"q": "a" * 500}).query == "a" * 100
    refused = SearchForm({"q": "ann\x00"})
    assert refused.query == ""
    assert refused.refusal == "Remove the control characters from the search."
    assert SearchForm({}).query == ""


@pytest.mark.django_db
def test_an_id_choice_refuses_a_value_that_cannot_be_an_id_before_the_query(django_assert_num_queries):
    field = IdChoiceField(queryset=Customer.objects.all())

    with django_assert_num_queries(0), pytest.raises(forms.ValidationError):
        field.clean("1" * 5_000)
    assert field.prepare_value("1" * 5_000) is None
    assert field.prepare_value("²") is None


@pytest.mark.django_db
def test_an_id_choice_finds_the_chosen_row():
    customer = CustomerFactory()
    field = IdChoiceField(queryset=Customer.objects.all())

    assert field.clean(str(customer.pk)) == customer
    assert field.prepare_value(str(customer.pk)) == customer.pk


@pytest.mark.parametrize(("raw", "depth"), [
    (b"{}", 1), (b'{"a": [1, {"b": []}]}', 4), (b'"[[[[{{{"', 0), (b'["\\"[[[", [1]]', 2), (b"[" * 5 + b"]" * 5, 5),
    (b"", 0),
])
def test_json_depth_counts_brackets_outside_strings(raw, depth):
    assert json_depth(raw) == depth


def _post(body: bytes):
    return RequestFactory().post("/", body, content_type="application/json")


def test_json_body_parses_a_small_document():
    assert json_body(_post(b'{"a": [1, 2]}')) == {"a": [1, 2]}


@pytest.mark.parametrize(("body", "status"), [
    (b"[" * 21 + b"]" * 21, 400), (b"{", 400), (b"\xff\xfe", 400), (b'{"a": ' + b"1" * 5_000 + b"}", 400),
    (json.dumps({"a": "x" * 70_000}).encode(), 413),
])
def test_json_body_refuses_what_it_will_not_parse(body, status):
    with pytest.raises(JsonBodyRefused) as refused:
        json_body(_post(body))

    assert refused.value.status == status


def _has_text_fields(form_or_filter_class) -> bool:
    if hasattr(form_or_filter_class, "base_filters"):  # a django-filter FilterSet
        return any(issubclass(f.field_class, forms.CharField) for f in form_or_filter_class.base_filters.values())
    return any(isinstance(f, forms.CharField) for f in form_or_filter_class.base_fields.values())


def test_every_project_form_with_text_refuses_control_characters():
    """The rule lives in one place (core.forms.TextRulesMixin); a form outside it takes control characters
    and, on PostgreSQL, a NUL byte to the database. A filter set counts through its form class."""
    outside = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if not isinstance(value, type) or value.__module__ != module_name:
                continue
            form_class = value._meta.form if hasattr(value, "base_filters") else value
            if issubclass(form_class, forms.BaseForm) or hasattr(value, "base_filters"):
                if _has_text_fields(value) and not issubclass(form_class, TextRulesMixin):
                    outside.append(f"{module_name}.{name}")

    assert outside == []
