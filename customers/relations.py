"""Every row of any app that points at a customer, found through the model's own relations.

Generic on purpose: customers sits below the apps whose rows point at it (interactions, follow-ups, feedback,
plans), so the apps above (the merge, the import's undo) find those rows through Customer._meta instead of
importing them, and a model another app adds later with a foreign key to a customer is found without a change here.

A model whose rows are bookkeeping about a customer rather than part of their record (an import's note of the
customers it wrote) says so with `customer_bookkeeping = True`: it is left out, so a merge does not move it (it
goes with the customer deleted) and it does not count as something logged for the customer.
"""

from django.db import models

from .models import Customer


def customer_relations() -> list:
    """The reverse foreign keys to Customer (a customer's referrals among them), in a stable order.

    Many-to-many relations from other models are not among them: none exists, and a test says so.
    """
    return sorted(
        (rel for rel in Customer._meta.related_objects
         if isinstance(rel, models.ManyToOneRel) and not getattr(rel.related_model, "customer_bookkeeping", False)),
        key=lambda rel: (rel.related_model._meta.label_lower, rel.field.name),
    )


def rows_of(rel, customer_id: int) -> models.QuerySet:
    return rel.related_model._base_manager.filter(**{rel.field.attname: customer_id})
