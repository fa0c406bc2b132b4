"""Possible duplicate customers, and what a merge of two would do."""

from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, Q, Value
from django.db.models.functions import Lower, Replace, Upper

from customers.models import Customer

from .relations import relation_counts, relation_label
from .services import fields_to_fill

MAX_PAIRS = 100
# Keys per kind: a key shared by k customers makes k·(k-1)/2 pairs, so more keys than pairs are never needed.
MAX_KEYS = MAX_PAIRS

SAME_PHONE, SAME_EMAIL, SAME_NAME = "same phone", "same email", "same name and postcode"


@dataclass
class Pair:
    first: Customer
    second: Customer
    reasons: list = field(default_factory=list)


def _postcode_key():
    return Upper(Replace("postcode", Value(" "), Value("")))


def _shared(queryset, *keys) -> list:
    """The values of `keys` that more than one customer has: GROUP BY ... HAVING COUNT > 1, one query."""
    rows = queryset.values(*keys).annotate(n=Count("id")).filter(n__gt=1).order_by(*keys)[:MAX_KEYS]
    return [tuple(row[key] for key in keys) for row in rows]


def duplicate_pairs() -> list[Pair]:
    """At most MAX_PAIRS pairs of customers who may be one: the same phone digits, the same email in any case,
    or the same folded name at the same postcode. Four queries, whatever the number of customers."""
    annotated = Customer.objects.annotate(email_key=Lower("email"), postcode_key=_postcode_key())
    phones = [key for (key,) in _shared(annotated.exclude(phone_digits=""), "phone_digits")]
    emails = [key for (key,) in _shared(annotated.exclude(email=""), "email_key")]
    names = _shared(annotated.exclude(postcode="").exclude(sort_name=""), "sort_name", "postcode_key")
    if not (phones or emails or names):
        return []

    wanted = Q(phone_digits__in=phones) | Q(email_key__in=emails)
    for sort_name, postcode_key in names:
        wanted |= Q(sort_name=sort_name, postcode_key=postcode_key)
    customers = list(annotated.filter(wanted).order_by("pk"))

    groups = {}
    for customer in customers:
        if customer.phone_digits in phones:
            groups.setdefault((SAME_PHONE, customer.phone_digits), []).append(customer)
        if customer.email_key in emails:
            groups.setdefault((SAME_EMAIL, customer.email_key), []).append(customer)
        if (customer.sort_name, customer.postcode_key) in names:
            groups.setdefault((SAME_NAME, customer.sort_name, customer.postcode_key), []).append(customer)

    pairs: dict[tuple, Pair] = {}
    for key, members in groups.items():
        for first, second in combinations(members, 2):
            pair = pairs.get((first.pk, second.pk))
            if pair is None:
                if len(pairs) >= MAX_PAIRS:
                    continue
                pair = pairs[(first.pk, second.pk)] = Pair(first, second)
            if key[0] not in pair.reasons:
                pair.reasons.append(key[0])
    return sorted(pairs.values(), key=lambda pair: (pair.first.sort_name, pair.first.pk, pair.second.pk))


@dataclass(frozen=True)
class MergePreview:
    moves: list  # ["3 interactions", "1 customer they referred"]
    tags: list  # the duplicate's tags the kept customer does not have yet
    filled: list  # [(label, value)] of the kept customer's empty fields filled from the duplicate


def merge_preview(*, keep: Customer, other: Customer) -> MergePreview:
    moves = [relation_label(rel, count) for rel, count in relation_counts(other.pk) if count]
    tags = list(other.tags.exclude(pk__in=keep.tags.values("pk")))
    filled = []
    for name in fields_to_fill(keep=keep, other=other):
        model_field = Customer._meta.get_field(name)
        value = getattr(other, name)
        if model_field.choices:
            value = getattr(other, f"get_{name}_display")()
        filled.append((model_field.verbose_name, value))
    return MergePreview(moves=moves, tags=tags, filled=filled)
