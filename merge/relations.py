"""What a merge moves: every row of any app that points at a customer (customers.relations), named for the page."""

from customers.models import Customer
from customers.relations import customer_relations, rows_of

__all__ = ["customer_relations", "rows_of", "relation_label", "relation_counts"]


def relation_label(rel, count: int) -> str:
    """"3 interactions", "1 customer they referred": what moves, for the page."""
    if rel.related_model is Customer:
        return f"{count} {'customer they referred' if count == 1 else 'customers they referred'}"
    meta = rel.related_model._meta
    return f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"


def relation_counts(customer_id: int) -> list[tuple]:
    """[(relation, count)] of the rows that point at the customer: one query per relation."""
    return [(rel, rows_of(rel, customer_id).count()) for rel in customer_relations()]
