"""Places where a higher app shows something on a page or in an email that a lower app owns.

A lower app never imports a higher one. Instead the higher app registers an entry here from its
``AppConfig.ready()`` (the way ``django.contrib.admin`` autodiscovers ``admin.py``), and the lower
app renders whatever is registered. Every registry has the same shape: a template, a function that
returns its data, an order.

    from core.registries import card_sections
    card_sections.register("feedback/_card_section.html", feedback_card_context, order=30)

Each function must run a constant number of queries: the pages' query-count tests include every
registered entry.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Entry:
    template: str
    context: Callable[..., dict] | None
    order: int


class Registry:
    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, Entry] = {}

    def register(self, template: str, context: Callable[..., dict] | None = None, *, order: int = 50) -> None:
        # Keyed by template so a second ready() call (tests, autoreload) does not add it twice.
        self._entries[template] = Entry(template=template, context=context, order=order)

    @contextmanager
    def isolated(self) -> Iterator["Registry"]:
        """For tests: the registry starts empty inside the block and gets its entries back after it."""
        saved, self._entries = self._entries, {}
        try:
            yield self
        finally:
            self._entries = saved

    def entries(self) -> list[Entry]:
        return sorted(self._entries.values(), key=lambda e: (e.order, e.template))

    def render_list(self, **kwargs) -> list[dict]:
        """[{"template": ..., "context": {...}}] in order, for `{% include s.template with c=s.context %}`."""
        return [
            {"template": entry.template, "context": entry.context(**kwargs) if entry.context else {}}
            for entry in self.entries()
        ]

    def render_html(self, *, request=None, **kwargs) -> list[str]:
        """Each entry rendered to HTML with its context (as ``c``) and the request's context processors."""
        return [
            render_to_string(section["template"], {"c": section["context"]}, request=request)
            for section in self.render_list(request=request, **kwargs)
        ]


# context(customer=..., request=...) -> dict
# Rendered as {% include section.template with c=section.context %}, in order, on the customer card.
card_sections = Registry("customer card")

# context(user=..., today=..., request=...) -> dict
today_sections = Registry("today")

# context(user=..., today=..., now=...) -> dict with at least "count" (int): the number of items the
# section lists. The weekly email renders "<template>.txt" and "<template>.html" for each section
# whose count is not zero, and is not sent when every count is zero.
digest_sections = Registry("weekly email")

# "Act on it" links beside each improvement a customer suggested (feedback page, customer card).
# context(items=[FeedbackItem, ...], user=User) -> {item_pk: data}, called ONCE per page with every
# improvement on it; the template is rendered once per improvement with ``item``, ``data`` (this
# item's entry, None when absent) and ``next`` (the current page). feedback/selectors.py explains more.
improvement_actions = Registry("act on an improvement")
