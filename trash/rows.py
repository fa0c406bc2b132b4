"""Every row that goes with a customer, found the way Django's delete finds them, kept and put back.

Generic on purpose: a model that another app adds later with a foreign key to a customer (or to anything of
theirs) goes to the trash, comes back and is counted on the confirmation page without a change here.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models
from django.db.models.deletion import CASCADE, Collector

from core.ordering import parents_first
from customers.models import Customer

# Models whose class name reads badly as a noun on the confirmation page: (singular, plural).
WORDING = {
    "followups.followup": ("follow-up", "follow-ups"),
    "feedback.feedback": ("feedback", "feedback"),
    "feedback.feedbackitem": ("feedback answer", "feedback answers"),
    "actionplans.actionstep": ("plan step", "plan steps"),
}
LINK_WORDING = {
    "customers.customer.referred_by": ("customer they referred", "customers they referred"),
}


class RowCollector(Collector):
    """Django's delete collector, loading every row a delete would remove as a full instance.

    No "fast" bulk deletes (rows deleted unseen could not be kept) and whole rows rather than the key
    columns only (the collector's select_related case, as django.contrib.admin's NestedObjects does).
    One query per related model and batch of 500 parents, whatever the number of rows.
    """

    def can_fast_delete(self, *args, **kwargs):
        return False

    def related_objects(self, related_model, related_fields, objs):
        return super().related_objects(related_model, related_fields, objs).select_related(
            *[related_field.name for related_field in related_fields]
        )


def field_key(model_field) -> str:
    return f"{model_field.model._meta.label_lower}.{model_field.name}"


def field_from_key(key: str):
    app_label, model_name, name = key.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(name)


def model_name(label: str, count: int) -> str:
    """A model's name for the page, by its label ("app.model"): "interactions", "follow-up"."""
    if label in WORDING:
        singular, plural = WORDING[label]
    else:
        try:
            meta = apps.get_model(label)._meta
        except LookupError:
            return label
        singular, plural = str(meta.verbose_name), str(meta.verbose_name_plural)
    return singular if count == 1 else plural


def noun(label: str, count: int) -> str:
    """"3 interactions", "1 follow-up"."""
    return f"{count} {model_name(label, count)}"


def link_noun(key: str, count: int) -> str:
    """"1 customer they referred": the rows that stay but lose a link (a field's "app.model.field")."""
    if key in LINK_WORDING:
        singular, plural = LINK_WORDING[key]
        return f"{count} {singular if count == 1 else plural}"
    try:
        model_field = field_from_key(key)
    except (LookupError, ValueError):
        return f"{count} {key}"
    return f"{noun(model_field.model._meta.label_lower, count)} (“{model_field.verbose_name}”)"


@dataclass
class Collected:
    """What deleting one customer removes (rows, by model, parents first) and which links it cuts."""

    customer: Customer
    collector: RowCollector
    rows: dict = field(default_factory=dict)  # {model: [instances sorted by id]} as found, link tables included
    links: dict = field(default_factory=dict)  # {"app.model.field": [(id, old value), ...]} of rows that stay

    @property
    def contents(self) -> list[dict]:
        """[{"model": label, "count": n}] of what goes with the customer, in the order Django found them."""
        return [
            {"model": model._meta.label_lower, "count": len(instances) - (model is Customer)}
            for model, instances in self.rows.items()
            # A many-to-many link table (a customer's tags) is not something that goes: the tags stay. Bookkeeping
            # about the customer (customers.relations: an import's record of them) is no news either.
            if len(instances) - (model is Customer) and not model._meta.auto_created
            and not getattr(model, "customer_bookkeeping", False)
        ]

    @property
    def cut_links(self) -> list[dict]:
        return [{"field": key, "count": len(pairs)} for key, pairs in self.links.items() if pairs]

    def payload(self) -> list[dict]:
        """Every row as Django's serializer writes it (primary keys kept, no natural keys), parents first.

        Many-to-many links are kept as the rows of their link table (with their own ids), so they are left
        out of the rows that own them: each link is kept once.
        """
        payload = []
        for model in parents_first(self.rows):
            many_to_many = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key] if many_to_many else None
            payload += json.loads(serializers.serialize("json", self.rows[model], fields=fields))
        return payload

    def delete(self) -> None:
        self.collector.delete()


def collect(customer: Customer) -> Collected:
    """Every row that deleting `customer` removes, and the rows that stay but lose a link to one of them.

    One query per related model (and batch), plus one per field that would be set to null.
    """
    collector = RowCollector(using=Customer.objects.db, origin=customer)
    collector.collect([customer])
    rows = {model: sorted(instances, key=lambda obj: obj.pk) for model, instances in collector.data.items()}
    gone = {model: {obj.pk for obj in instances} for model, instances in collector.data.items()}

    links = defaultdict(list)
    for (model_field, _value), querysets in collector.field_updates.items():
        for queryset in querysets:
            if isinstance(queryset, models.QuerySet):
                pairs = list(queryset.values_list("pk", model_field.attname))
            else:
                pairs = [(obj.pk, getattr(obj, model_field.attname)) for obj in queryset]
            # A row deleted too keeps its link in its own copy.
            deleted_too = gone.get(model_field.model, set())
            links[field_key(model_field)] += [
                (pk, value) for pk, value in pairs if pk not in deleted_too and value is not None
            ]
    return Collected(customer=customer, collector=collector, rows=rows, links=dict(links))


# Putting back

class RestoreRefused(Exception):
    """A trashed customer cannot come back as they were; the message says why, for the owner."""


@dataclass
class Restored:
    counts: dict  # {"app.model": rows put back}
    reassigned: int = 0  # rows whose person is gone and that now belong to the one restoring (a follow-up)
    cleared: int = 0  # rows whose person is gone and that now name nobody (who recorded it, who did it)
    links: int = 0  # rows that stayed and got their link back (a referral's "referred by")


def _check_ids_are_free(objects_by_model: dict) -> None:
    for model, objects in objects_by_model.items():
        ids = [obj.object.pk for obj in objects]
        if model._base_manager.filter(pk__in=ids).exists():
            # Ids are never handed out twice, so this means someone wrote rows with chosen ids meanwhile.
            raise RestoreRefused(
                f"Some of their {model_name(model._meta.label_lower, 2)} exist again with the same numbers, "
                "so they cannot come back without overwriting them. Nothing was changed."
            )


def _missing_targets(deserialized: list, within: dict) -> dict:
    """{related model: ids that the rows point at, outside the rows themselves, and that no longer exist}."""
    wanted = defaultdict(set)
    for item in deserialized:
        obj = item.object
        for model_field in obj._meta.concrete_fields:
            if not model_field.is_relation:
                continue
            value = getattr(obj, model_field.attname)
            if value is not None and value not in within.get(model_field.related_model, ()):
                wanted[model_field.related_model].add(value)
    missing = {}
    for model, ids in wanted.items():
        present = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        if ids - present:
            missing[model] = ids - present
    return missing


def restore(*, payload: list, links: list, restored_by) -> Restored:
    """Puts every row back with its id and values, then the links that were cut. Call inside a transaction.

    Raises RestoreRefused when that cannot be done faithfully; nothing is written then.
    """
    deserialized = list(serializers.deserialize("python", payload))
    objects_by_model = defaultdict(list)
    for item in deserialized:
        objects_by_model[type(item.object)].append(item)
    _check_ids_are_free(objects_by_model)

    within = {model: {item.object.pk for item in items} for model, items in objects_by_model.items()}
    missing = _missing_targets(deserialized, within)
    user_model = get_user_model()
    result = Restored(counts={})
    kept = []
    for item in deserialized:
        obj = item.object
        broken = [
            model_field for model_field in obj._meta.concrete_fields
            if model_field.is_relation and getattr(obj, model_field.attname) in missing.get(model_field.related_model, ())
        ]
        if broken and obj._meta.auto_created:
            continue  # a link to something gone (a tag deleted meanwhile) is left off
        for model_field in broken:
            if model_field.null:
                setattr(obj, model_field.attname, None)
                result.cleared += 1
            elif model_field.related_model is user_model and restored_by is not None:
                setattr(obj, model_field.attname, restored_by.pk)
                result.reassigned += 1
            else:
                raise RestoreRefused(
                    f"Their {model_name(obj._meta.label_lower, 1)} points at a "
                    f"{model_field.related_model._meta.verbose_name} that no longer exists. Nothing was changed."
                )
        kept.append(item)

    for item in kept:
        # raw: the stored values as they were (no "last changed" stamped, no derived field recomputed);
        # force_insert: the row is known to be absent (checked above), so no UPDATE is tried first.
        item.save(save_m2m=False, force_insert=True)
        label = item.object._meta.label_lower
        result.counts[label] = result.counts.get(label, 0) + 1
    _history_restored(objects_by_model, restored_by)
    result.links = _links_restore(links)
    return result


def history_manager(model):
    """The model's django-simple-history manager, or None for a model that keeps no history."""
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name) if name else None


def _history_restored(objects_by_model: dict, restored_by) -> None:
    """A "+" history row for each row put back, by the one who restored it: one query per model."""
    for model, items in objects_by_model.items():
        manager = history_manager(model)
        if manager is not None:
            manager.bulk_history_create([item.object for item in items], default_user=restored_by)


def _links_restore(links: list) -> int:
    """Gives the rows that stayed their link back, where nobody has set another since. One query per field
    and value (a referral: one for the customer)."""
    restored = 0
    for entry in links:
        try:
            model_field = field_from_key(entry["field"])
        except (LookupError, ValueError):
            continue
        by_value = defaultdict(list)
        for pk, value in entry["rows"]:
            by_value[value].append(pk)
        for value, ids in by_value.items():
            restored += model_field.model._base_manager.filter(
                pk__in=ids, **{f"{model_field.attname}__isnull": True}
            ).update(**{model_field.attname: value})
    return restored


# Erasing for good

def history_erase(*, payload: list) -> int:
    """Deletes the history rows of every row in `payload`, and those of rows that went earlier with them.

    A row deleted before the customer (an interaction removed last year) is known only from its history, which
    names its customer: history rows pointing at an erased row through a cascading foreign key (the customer of
    an interaction, the plan of a step) are erased too, parents first, so that a step of an earlier deleted plan
    goes as well. A row that still lives (a plan that once served this customer and now serves everyone) keeps
    its history except the rows that name the erased customer. About three queries per model with history.
    """
    gone = defaultdict(set)
    for entry in payload:
        gone[apps.get_model(entry["model"])].add(entry["pk"])
    erased = 0
    tracked = [model for model in apps.get_models() if history_manager(model) is not None]
    for model in parents_first(tracked):
        id_name = model._meta.pk.attname  # the row's own id; a history row's primary key is history_id
        condition = models.Q(**{f"{id_name}__in": gone[model]}) if gone.get(model) else models.Q()
        has_terms = bool(gone.get(model))
        for model_field in model._meta.concrete_fields:
            if (
                model_field.is_relation
                and model_field.remote_field.on_delete is CASCADE
                and gone.get(model_field.related_model)
            ):
                condition |= models.Q(**{f"{model_field.attname}__in": gone[model_field.related_model]})
                has_terms = True
        if not has_terms:
            continue
        historical = history_manager(model).model
        rows = historical._default_manager.filter(condition)
        found = set(rows.values_list(id_name, flat=True).distinct())
        alive = set(model._base_manager.filter(pk__in=found).values_list("pk", flat=True)) if found else set()
        gone[model] |= found - alive
        erased += rows.delete()[0] if found else 0
    return erased
