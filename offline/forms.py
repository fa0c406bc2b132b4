from django import forms
from django.http import QueryDict

from core.forms import Form, IdField


class SyncEnvelopeForm(Form):
    """The envelope of a visit a phone sends: which visit (client_key) and whose (customer)."""

    client_key = forms.UUIDField()
    customer = IdField()

    def __init__(self, payload: dict):
        # JSON numbers and strings alike are read as their text, so that 1e308 or true is no id.
        super().__init__({name: str(payload.get(name, "")) for name in ("client_key", "customer")})


def sync_form_data(data: dict) -> QueryDict:
    """The fields a phone kept, as the QueryDict a form post would give: {name: value or [values]}."""
    if not isinstance(data, dict):
        raise TypeError("data must be an object")
    query = QueryDict(mutable=True)
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        query.setlist(str(name), [str(item) for item in values if item is not None])
    return query
