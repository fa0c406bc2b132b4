"""Form widgets several apps share."""

from django import forms

from .forms import parse_id


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CustomerPickerWidget(forms.Widget):
    """A hidden id with a search box: picks one customer among any number without listing them all.

    `queryset` is the field's own (``form.fields[name].queryset``): the widget reads only the chosen row.
    """

    template_name = "customers/widgets/customer_picker.html"

    def __init__(self, *args, queryset, exclude_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = queryset
        self.exclude_id = exclude_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = None
        pk = parse_id(value)
        if pk is not None:
            selected = self.queryset.filter(pk=pk).only("id", "name", "company", "kind").first()
        context["widget"]["selected"] = selected
        context["widget"]["exclude_id"] = self.exclude_id
        return context
