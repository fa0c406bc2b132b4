"""Bounded lists: a page or an email shows the first N items and says how many there are in all."""

from django.db.models import QuerySet

LIST_LIMIT = 50


def first_n_with_total(queryset: QuerySet, limit: int = LIST_LIMIT) -> dict:
    """{"items": the first `limit` rows, "count": how many in all, "more": how many beyond those listed}.

    One query; a second (the count) only when the list is full.
    """
    items = list(queryset[:limit])
    count = len(items) if len(items) < limit else queryset.count()
    return {"count": count, "items": items, "more": count - len(items)}
