"""Everything about one customer: the rows that erasing them removes, and the history of each.

Found the way Django's delete finds them (its Collector) and through each model's history, never by naming the
apps: a model another app adds later with a foreign key to a customer (or to anything of theirs) is in their
export without a change here.
"""

from collections import defaultdict

from django.apps import apps
from django.db import models
from django.db.models.deletion import CASCADE, Collector

from core.ordering import parents_first
from customers.models import Customer


def history_model(model):
    """The django-simple-history model that keeps `model`'s history, or None."""
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name).model if name else None


def _collected_ids(customer: Customer) -> dict:
    """{model: {ids}} of every row a delete of `customer` removes, the customer and their link rows included.

    Nothing is deleted: the collector only finds. Rows it would delete in bulk unseen are read as querysets.
    """
    collector = Collector(using=Customer._base_manager.db, origin=customer)
    collector.collect([customer])
    found = defaultdict(set)
    for model, instances in collector.data.items():
        found[model] |= {obj.pk for obj in instances}
    for queryset in collector.fast_deletes:
        if isinstance(queryset, models.QuerySet):
            found[queryset.model] |= set(queryset.values_list("pk", flat=True))
        else:  # a list of instances
            for obj in queryset:
                found[type(obj)].add(obj.pk)
    return found


def _history_conditions(gone: dict) -> dict:
    """{history model: Q} of the history rows that are theirs: the history of each of their rows, and of rows
    deleted earlier that pointed at them through a cascading key (an interaction removed last year names its
    customer; a step of a plan removed with it names the plan). Parents first, so the closure is complete."""
    conditions = {}
    tracked = [model for model in apps.get_models() if history_model(model) is not None]
    for model in parents_first(tracked):
        id_name = model._meta.pk.attname  # the row's own id; a history row's primary key is history_id
        condition = models.Q(**{f"{id_name}__in": gone[model]}) if gone.get(model) else None
        for field in model._meta.concrete_fields:
            if field.is_relation and field.remote_field.on_delete is CASCADE and gone.get(field.related_model):
                term = models.Q(**{f"{field.attname}__in": gone[field.related_model]})
                condition = term if condition is None else condition | term
        if condition is None:
            continue
        historical = history_model(model)
        conditions[historical] = condition
        found = set(historical._base_manager.filter(condition).values_list(id_name, flat=True).distinct())
        earlier = found - gone.get(model, set())
        alive = set(model._base_manager.filter(pk__in=earlier).values_list("pk", flat=True)) if earlier else set()
        # Rows deleted earlier take their own children's history with them; a row that lives on (a plan that
        # once served them and now serves everyone) keeps its own, except the rows that name them.
        gone[model] = gone.get(model, set()) | (earlier - alive)
    return conditions


def customer_rows(customer: Customer) -> dict:
    """{model: queryset ordered by id} of every row that is theirs, parents first, then the history models.

    The customer, every row that points at them or at one of theirs (interactions, follow-ups, feedback and its
    answers, requests, their plans and steps, their tags' links and the tags), and the history of all of these.
    A few queries per model, whatever the number of rows.
    """
    found = _collected_ids(customer)
    # What goes with them; the tags below stay with everyone else's cards, so their plans are not theirs.
    gone = {model: set(ids) for model, ids in found.items()}
    for many in Customer._meta.many_to_many:
        # The rows on the other side of their own many-to-many links (their tags): part of their card.
        found[many.related_model] |= set(getattr(customer, many.name).values_list("pk", flat=True))
    rows = {
        model: model._base_manager.filter(pk__in=ids).order_by("pk")
        for model in parents_first(list(found)) if (ids := found[model])
    }
    for historical, condition in _history_conditions(gone).items():
        rows[historical] = historical._base_manager.filter(condition).order_by("pk")
    return rows
