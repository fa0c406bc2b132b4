"""Reads for feedback that pages share. Every function runs a fixed number of queries."""

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from core.history import HistorySource, short_day
from core.lists import first_n_with_total
from core.registries import improvement_actions

from .models import Feedback, FeedbackItem, FeedbackRequest

# Enough history for an honest word count without reading every answer ever written.
WORD_SAMPLE_LIMIT = 5000
STOP_WORDS = frozenset(
    """
    a about after again all also am an and any are as at be been being but by can could did do does doing don't
    for from get had has have he her him his how i i'm if in into is it it's its just me more most my no not of
    off on once only or other our out over so some than that the their them then there these they this those to
    too up us very was we were what when where which while who why will with would you your you're yours
    """.split()
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _with_items(qs: QuerySet[Feedback]) -> QuerySet[Feedback]:
    return qs.select_related("customer", "recorded_by").prefetch_related(
        Prefetch("items", queryset=FeedbackItem.objects.select_related("followup").order_by("kind", "position"))
    )


def feedback_list() -> QuerySet[Feedback]:
    """All feedback with its answers, newest first; feedback.filters.FeedbackFilter narrows it for the page."""
    return _with_items(Feedback.objects.all()).order_by("-received_at", "-id")


def improvement_get(*, pk: int) -> FeedbackItem | None:
    """The improvement (never a like) with its feedback, or None."""
    return FeedbackItem.objects.select_related("feedback").filter(pk=pk, kind=FeedbackItem.Kind.IMPROVEMENT).first()


@dataclass
class MonthCount:
    month: datetime.date
    likes: int
    improvements: int


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def monthly_counts(qs: QuerySet[Feedback], *, months: int = 6, now: datetime.datetime | None = None) -> list[MonthCount]:
    """Likes and improvements per month (user's time zone), the last `months` months, oldest first. One query."""
    tz = timezone.get_current_timezone()
    starts = _month_starts(timezone.localdate(now or timezone.now(), tz), months)
    since = datetime.datetime.combine(starts[0], datetime.time.min, tzinfo=tz)
    rows = (
        FeedbackItem.objects.filter(feedback__in=qs.order_by().values("pk"), feedback__received_at__gte=since)
        .annotate(month=TruncMonth("feedback__received_at", tzinfo=tz))
        .values("month")
        .annotate(
            likes=Count("pk", filter=Q(kind=FeedbackItem.Kind.LIKE)),
            improvements=Count("pk", filter=Q(kind=FeedbackItem.Kind.IMPROVEMENT)),
        )
        .order_by()
    )
    by_month = {}
    for row in rows:
        month = row["month"]
        key = month.date() if isinstance(month, datetime.datetime) else month
        by_month[key.replace(day=1)] = row
    return [
        MonthCount(
            month=start,
            likes=by_month.get(start, {}).get("likes", 0),
            improvements=by_month.get(start, {}).get("improvements", 0),
        )
        for start in starts
    ]


def top_words(texts, *, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent words: lower-cased, punctuation stripped, common words dropped. Ties alphabetical."""
    counts = Counter()
    for text in texts:
        counts.update(word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS and len(word) > 1)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


def improvement_top_words(qs: QuerySet[Feedback], *, limit: int = 10) -> list[tuple[str, int]]:
    """Top words in the improvements of the given feedback (its newest WORD_SAMPLE_LIMIT answers). One query."""
    texts = (
        FeedbackItem.objects.filter(feedback__in=qs.order_by().values("pk"), kind=FeedbackItem.Kind.IMPROVEMENT)
        .order_by("-feedback__received_at", "-id")
        .values_list("text", flat=True)[:WORD_SAMPLE_LIMIT]
    )
    return top_words(texts, limit=limit)


def customer_feedback(*, customer_id: int, limit: int = 5) -> list[Feedback]:
    """A customer's newest feedback with its answers: two queries."""
    return list(_with_items(Feedback.objects.filter(customer_id=customer_id)).order_by("-received_at", "-id")[:limit])


def customer_feedback_requests(*, customer_id: int, limit: int = 5) -> list[FeedbackRequest]:
    return list(
        FeedbackRequest.objects.filter(customer_id=customer_id)
        .select_related("requested_by")
        .order_by("-created_at", "-id")[:limit]
    )


def feedback_since(*, since: datetime.datetime, limit: int = 10) -> dict:
    """Feedback received since `since`, newest first, with answers: core.lists.first_n_with_total's
    {"items", "count", "more"}. Two queries, three when the list is full."""
    return first_n_with_total(_with_items(Feedback.objects.filter(received_at__gte=since)).order_by("-received_at", "-id"),
                              limit)


def attach_improvement_actions(feedback_list, *, user) -> None:
    """Sets ``item.extra_actions`` on every improvement of the given feedback: [{"template", "data"}, ...].

    The actions are what other apps registered in ``core.registries.improvement_actions`` (for example
    actionplans' "Make this a plan step").

    Wherever an improvement is shown (the feedback page, the customer card), its template is rendered
    with this context, on top of the page's own (``request``, ``user``, ``is_owner``, ``csrf_token``):

        item     the FeedbackItem (kind "improvement"): ``item.pk`` is its stable id, ``item.text`` the
                 answer, ``item.feedback.customer_id`` its customer; the page has an anchor
                 ``id="improvement-<pk>"`` and ``item.get_absolute_url()`` leads there.
        data     whatever the entry's context function returned for this item's pk (None without one).
        next     the current page's path, to send the user back after a POST.

    ``context(items=[FeedbackItem, ...], user=User) -> {item_pk: anything}`` is called ONCE per page with
    every improvement on it, so it must run a constant number of queries (one ``filter(item__in=items)``
    is the idea) — the pages' query-count tests include it. To link an improvement to your own row,
    an app gives its model a ``ForeignKey("feedback.FeedbackItem", null=True, on_delete=models.SET_NULL)``.
    """
    prefetch_related_objects(feedback_list, "items")  # nothing to do when the selector prefetched them
    items = [item for feedback in feedback_list for item in feedback.improvements]
    for item in items:
        item.extra_actions = []
    if not items:
        return
    for action in improvement_actions.entries():
        data = action.context(items=items, user=user) if action.context else {}
        for item in items:
            item.extra_actions.append({"template": action.template, "data": data.get(item.pk)})


# ---- History on the customer card (feedback/apps.py registers it with core.history) ----------------------------

def _feedback_label(record) -> str:
    return gettext("the feedback of %(day)s") % {"day": short_day(record.received_at)}


FEEDBACK_HISTORY = HistorySource(
    model=Feedback,
    kind="feedback",
    fields=("rating", "channel", "received_at", "recorded_by"),
    label=_feedback_label,
)
