"""Reads that pages share. Each returns an ordered queryset or a small bundle with a fixed number of queries."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects
from django.utils.translation import gettext

from core.forms import parse_id
from core.history import History, HistorySource, customer_history
from core.text import fold

from .models import Customer, Tag
from .search import phone_query_digits, phone_query_variants, phone_query_whole_numbers

# Longer search text is cut, not refused: a long paste still searches by its beginning.
QUERY_MAX_LENGTH = 100


def customer_search(
    *, query: str = "", status: str = "", tag_id: int | None = None, customers: QuerySet[Customer] | None = None
) -> QuerySet[Customer]:
    """Customers matching a free-text query, in a stable order.

    The query matches name, company, email, street, town and postcode without regard to
    case or accents; when it looks like a phone number (digits, spaces, + ( ) - .) its
    digits are also matched anywhere in either stored phone number. In a query mixing
    words and numbers ("mia 555-01"), each number may match a phone instead of the text.
    `customers` narrows the search to some customers (default: all of them).
    """
    qs = Customer.objects.all() if customers is None else customers
    if status:
        qs = qs.filter(status=status)
    if tag_id:
        qs = qs.filter(tags__id=tag_id)
    query = (query or "").strip()
    if query:
        whole_number = phone_query_variants(query)
        text_match = Q()
        for token in fold(query).split():
            token_match = Q(search_text__contains=token)
            # Only in a mixed query: "555 01" must stay one run of digits, not "555" and "01" anywhere.
            number = "" if whole_number else phone_query_digits(token)
            if len(number) >= 3:
                token_match |= Q(phone_digits__contains=number) | Q(alt_phone_digits__contains=number)
            text_match &= token_match
        for number in whole_number:
            text_match |= Q(phone_digits__contains=number) | Q(alt_phone_digits__contains=number)
        qs = qs.filter(text_match)
    return qs.order_by("sort_name", "id")


# Past this many matches the list says "100+ customers" instead of counting every one: an exact count of a search
# that matches everyone ("555") read all 100,000 rows, for a figure nobody reads.
TOTAL_CAP = 100

ORDER = ("sort_name", "id")
REVERSE_ORDER = ("-sort_name", "-id")


@dataclass
class CustomerPage:
    customers: list
    has_next: bool
    has_previous: bool
    next_cursor: str
    previous_cursor: str
    total: int  # at most TOTAL_CAP
    more: bool  # more than TOTAL_CAP match


def _cursor(customer: Customer) -> str:
    return f"{customer.id}"


def search_tiers(query: str) -> list[Q]:
    """What ranks a customer before the others for this query, best first: the whole phone number, then a
    name that begins with the query. Everyone else who matches comes after, in name order.
    """
    query = (query or "").strip()[:QUERY_MAX_LENGTH]
    tiers = []
    numbers = phone_query_whole_numbers(query)
    if numbers:
        tiers.append(Q(phone_digits__in=numbers) | Q(alt_phone_digits__in=numbers))
    if folded := fold(query):
        tiers.append(Q(sort_name__startswith=folded))
    return tiers if query else []


def _tier_querysets(qs: QuerySet[Customer], tiers: list[Q]) -> list[QuerySet[Customer]]:
    """`qs` cut into disjoint ranks: one per tier (without the better tiers' customers), then the rest."""
    ranked, better = [], Q()
    for tier in tiers:
        ranked.append(qs.filter(tier).exclude(better) if better else qs.filter(tier))
        better |= tier
    ranked.append(qs.exclude(better) if better else qs)
    return ranked


def _anchor(cursor: int, tiers: list[Q]) -> dict | None:
    """The sort key (tier, sort_name, id) of the customer a page starts after or ends before."""
    tier = Case(*(When(condition, then=Value(rank)) for rank, condition in enumerate(tiers)), default=len(tiers))
    return Customer.objects.filter(pk=cursor).annotate(tier=tier).values("tier", "sort_name", "id").first()


# What the list's rows never show: not read, so no phone number is parsed on load (the rows show phone_display).
LIST_DEFERRED = ("phone", "alt_phone", "search_text", "access_notes", "key_points", "personality", "wants", "needs",
                 "hard_needs", "soft_needs")


def _ranked(qs, tiers, *, anchor=None, forwards=True, limit, deferred=()) -> QuerySet[Customer]:
    """Up to `limit` customers after (or, backwards, before) the anchor, ordered by (tier, sort_name, id).

    One query whatever the number of tiers: each tier takes at most `limit` customers by its own index order
    (it stops once it has a page), and only those few rows are merged and sorted.
    """
    parts = []
    for rank, part in enumerate(_tier_querysets(qs, tiers)):
        if anchor and (rank < anchor["tier"] if forwards else rank > anchor["tier"]):
            continue
        if anchor and rank == anchor["tier"]:
            part = part.filter(_beyond(anchor, forwards))
        parts.append((rank, part.order_by(*(ORDER if forwards else REVERSE_ORDER))))
    if len(parts) == 1:
        return parts[0][1].defer(*deferred)[:limit]
    pieces = [
        Customer.objects.filter(pk__in=part.values("pk")[:limit]).defer(*deferred).annotate(tier=Value(rank)).order_by()
        for rank, part in parts
    ]
    merged = pieces[0].union(*pieces[1:], all=True)
    order = ("tier", *ORDER) if forwards else ("-tier", *REVERSE_ORDER)
    return merged.order_by(*order)[:limit]


def _beyond(anchor: dict, forwards: bool) -> Q:
    if forwards:
        return Q(sort_name__gt=anchor["sort_name"]) | Q(sort_name=anchor["sort_name"], id__gt=anchor["id"])
    return Q(sort_name__lt=anchor["sort_name"]) | Q(sort_name=anchor["sort_name"], id__lt=anchor["id"])


def _page_rows(qs, tiers, *, anchor=None, forwards=True, limit) -> list[Customer]:
    rows = list(_ranked(qs, tiers, anchor=anchor, forwards=forwards, limit=limit, deferred=LIST_DEFERRED))
    prefetch_related_objects(rows, "tags")  # a union cannot prefetch by itself
    return rows


def customer_page(
    qs: QuerySet[Customer], *, query: str = "", after: int | str | None = None, before: int | str | None = None,
    last: bool = False, size: int | None = None,
) -> CustomerPage:
    """One page of matching customers, by key set rather than offset, best matches for `query` first.

    `qs` is the search's matches (CustomerListFilter.qs, which the export reads whole); the page takes from it
    only what it shows. Seeking on (tier, sort_name, id) makes the last page as cheap as the first, whatever the
    number of customers. Queries: the count (at most TOTAL_CAP + 1), the cursor row (when paging), the page, and
    the tags of the page.
    """
    size = size or settings.CUSTOMERS_PER_PAGE
    counted = qs.order_by()[: TOTAL_CAP + 1].count()
    tiers = search_tiers(query)
    anchor = None
    cursor = parse_id(after or before)
    if cursor:
        anchor = _anchor(cursor, tiers)

    if anchor and after:
        rows = _page_rows(qs, tiers, anchor=anchor, limit=size + 1)
        has_next, has_previous = len(rows) > size, True
        rows = rows[:size]
    elif (anchor and before) or last:
        rows = _page_rows(qs, tiers, anchor=anchor, forwards=False, limit=size + 1)
        has_previous = len(rows) > size
        rows = list(reversed(rows[:size]))
        # Everything before the anchor fits on this page: it is the first page, filled up to
        # its full size, so "Previous" never lands on a short page of one or two rows.
        has_next = bool(anchor)
        if anchor and not has_previous:
            rows = _page_rows(qs, tiers, limit=size + 1)
            has_next = len(rows) > size
            rows = rows[:size]
    else:
        rows = _page_rows(qs, tiers, limit=size + 1)
        has_next, has_previous = len(rows) > size, False
        rows = rows[:size]
    return CustomerPage(
        customers=rows,
        has_next=has_next,
        has_previous=has_previous,
        next_cursor=_cursor(rows[-1]) if rows else "",
        previous_cursor=_cursor(rows[0]) if rows else "",
        total=min(counted, TOTAL_CAP),
        more=counted > TOTAL_CAP,
    )


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def customer_quick_search(*, query: str, exclude_id: int | None = None, limit: int = 8) -> list[Customer]:
    """A handful of matches for a search-as-you-type field, best first as on the list's first page.
    Fewer than two characters match nothing."""
    query = (query or "").strip()[:QUERY_MAX_LENGTH]
    if len(query) < 2:
        return []
    matches = customer_search(query=query)
    if exclude_id is not None:
        matches = matches.exclude(pk=exclude_id)
    return list(_ranked(matches, search_tiers(query), limit=limit))


def customer_duplicates(*, phone_digits: list[str], email: str, exclude_id: int | None = None) -> QuerySet[Customer]:
    """Other customers who already have one of these phone numbers or this email."""
    match = Q()
    for number in filter(None, phone_digits):
        match |= Q(phone_digits=number) | Q(alt_phone_digits=number)
    if email:
        match |= Q(email__iexact=email)
    if not match:
        return Customer.objects.none()
    qs = Customer.objects.filter(match)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("sort_name", "id")


def customer_get(*, pk: int) -> Customer | None:
    return Customer.objects.filter(pk=pk).first()


def customer_for_card(customer_id: int) -> Customer | None:
    """The customer with what the card shows beside the profile, or None."""
    return (
        Customer.objects.select_related("referred_by", "assigned_to")
        .prefetch_related("tags", Prefetch("referrals", queryset=Customer.objects.order_by("sort_name", "id")))
        .filter(pk=customer_id)
        .first()
    )


# ---- History on the card (registered in apps.py) -------------------------------------------------------------

CARD_HISTORY_LIMIT = 10

CUSTOMER_HISTORY = HistorySource(
    model=Customer,
    kind="customer",
    fields=("name", "kind", "company", "status", "phone", "alt_phone", "email", "preferred_contact",
            "do_not_contact", "street", "town", "postcode", "access_notes", "key_points", "personality", "wants",
            "needs", "hard_needs", "soft_needs", "source", "referred_by", "assigned_to"),
    label=lambda record: gettext("the customer"),
    customer_field="id",
)


def customer_card_history(*, customer: Customer, user, limit: int = CARD_HISTORY_LIMIT) -> History:
    """The latest changes to the customer, their interactions and follow-ups (core.history), newest first.

    One query per registered source, one more per source with changes to compare, one per kind of related row
    those changes name (users, customers).
    """
    return customer_history(customer_id=customer.pk, user=user, limit=limit)
