from django.http import QueryDict


def sync_form_data(data: dict) -> QueryDict:
    """The fields a phone kept, as the QueryDict a form post would give: {name: value or [values]}."""
    if not isinstance(data, dict):
        raise TypeError("data must be an object")
    query = QueryDict(mutable=True)
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        query.setlist(str(name), [str(item) for item in values if item is not None])
    return query
