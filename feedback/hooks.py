"""Extra actions on an improvement, contributed by other apps (for example "make this an action-plan step").

Feedback only matters if we act on it. This app itself offers "Make a follow-up"; another app adds
its own button (and shows what it did about the improvement) by registering an action in its
AppConfig.ready():

    from feedback.hooks import improvement_actions, ImprovementAction

    improvement_actions.append(ImprovementAction(
        key="actionplans",                                  # unique; a second ready() replaces, not duplicates
        template="actionplans/_from_improvement.html",      # rendered once per improvement
        prepare=steps_for_improvements,                     # optional, see below
    ))

Wherever an improvement is shown (the feedback page, the customer card), its template is rendered
with this context, on top of the page's own (``request``, ``user``, ``is_owner``, ``csrf_token``):

    item     the FeedbackItem (kind "improvement"): ``item.pk`` is its stable id, ``item.text`` the
             answer, ``item.feedback.customer_id`` its customer; the page has an anchor
             ``id="improvement-<pk>"`` and ``item.get_absolute_url()`` leads there.
    data     whatever ``prepare`` returned for this item's pk (None without ``prepare``).
    next     the current page's path, to send the user back after a POST.

``prepare(items=[FeedbackItem, ...], user=User) -> {item_pk: anything}`` is called ONCE per page with
every improvement on it, so it must run a constant number of queries (one ``filter(item__in=items)``
is the idea) — the pages' query-count tests include it. To link an improvement to your own row,
give your model a ``ForeignKey("feedback.FeedbackItem", null=True, on_delete=models.SET_NULL)``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import prefetch_related_objects


@dataclass(frozen=True)
class ImprovementAction:
    key: str
    template: str
    prepare: Callable[..., dict] | None = None


class ImprovementActions(list):
    """A list of ImprovementAction that keeps one entry per key (ready() may run twice in tests)."""

    def append(self, action: ImprovementAction) -> None:
        self[:] = [existing for existing in self if existing.key != action.key]
        super().append(action)


improvement_actions: ImprovementActions = ImprovementActions()


def attach_improvement_actions(feedback_list, *, user) -> None:
    """Sets ``item.extra_actions`` on every improvement of the given feedback: [{"template", "data"}, ...]."""
    prefetch_related_objects(feedback_list, "items")  # nothing to do when the selector prefetched them
    items = [item for feedback in feedback_list for item in feedback.improvements]
    for item in items:
        item.extra_actions = []
    if not items:
        return
    for action in improvement_actions:
        data = action.prepare(items=items, user=user) if action.prepare else {}
        for item in items:
            item.extra_actions.append({"template": action.template, "data": data.get(item.pk)})
