"""Pages that other apps contribute to: the customer card and Today.

An app registers a section in its AppConfig.ready(); the page renders each section's
template with the context its function returns. Each function must run a constant
number of queries (the pages' query-count tests include every registered section).

    from servicecrm.sections import card_sections
    card_sections.register("feedback/_card_section.html", feedback_card_context, order=30)
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[..., dict]
    order: int


class SectionRegistry:
    def __init__(self, name: str):
        self.name = name
        self._sections: dict[str, Section] = {}

    def register(self, template: str, context: Callable[..., dict], *, order: int = 50) -> None:
        # Keyed by template so a second ready() call (tests, autoreload) does not add it twice.
        self._sections[template] = Section(template=template, context=context, order=order)

    def render_list(self, **kwargs) -> list[dict]:
        """[{"template": ..., "context": {...}}] in order, for `{% include s.template with c=s.context %}`."""
        return [
            {"template": section.template, "context": section.context(**kwargs)}
            for section in sorted(self._sections.values(), key=lambda s: (s.order, s.template))
        ]


# context(customer=..., request=...) -> dict
# Rendered as {% include section.template with c=section.context %}.
card_sections = SectionRegistry("customer card")
# context(user=..., today=..., request=...) -> dict
today_sections = SectionRegistry("today")
# context(user=..., today=..., now=...) -> dict with at least "count" (int): the number of items the
# section lists. The weekly email renders "<template>.txt" and "<template>.html" for each section
# whose count is not zero, and is not sent when every count is zero.
digest_sections = SectionRegistry("weekly email")
