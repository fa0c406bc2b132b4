"""Every row of any app that points at a customer, found through the model's own relations.

Generic on purpose: customers sits below the apps whose rows point at it (interactions, follow-ups, feedback,
plans), so the merge finds those rows through Customer._meta instead of importing them, and a model another app
adds later with a foreign key to a customer moves along without a change here.
"""

from django.db import models

from customers.models import Customer


def customer_relations() -> list:
    """The reverse foreign keys to Customer (a customer's referrals among them), in a stable order.

    Many-to-many relations from other models are not among them: none exists, and a test says so.
    """
    return sorted(
        (rel for rel in Customer._meta.related_objects if isinstance(rel, models.ManyToOneRel)),
        key=lambda rel: (rel.related_model._meta.label_lower, rel.field.name),
    )


def rows_of(rel, customer_id: int) -> models.QuerySet:
    return rel.related_model._base_manager.filter(**{rel.field.attname: customer_id})


def relation_label(rel, count: int) -> str:
    """"3 interactions", "1 customer they referred": what moves, for the page."""
    if rel.related_model is Customer:
        return f"{count} {'customer they referred' if count == 1 else 'customers they referred'}"
    meta = rel.related_model._meta
    return f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"


def relation_counts(customer_id: int) -> list[tuple]:
    """[(relation, count)] of the rows that point at the customer: one query per relation."""
    return [(rel, rows_of(rel, customer_id).count()) for rel in customer_relations()]
