"""The weekly email is built from sections; this app contributes the follow-up ones (the customers at risk
come from insights, by the same rule as its At-risk list).

Other apps add theirs the same way (core.registries.digest_sections, in AppConfig.ready()).
A section's context function gets user=, today= (the user's local date) and now=, returns a dict
with "count", and runs a constant number of queries. Its "<template>.txt" and "<template>.html"
are included with the dict as `c`; `site_url` is in the outer context for absolute links.
"""

import datetime

from core.lists import first_n_with_total
from core.registries import digest_sections
from followups.selectors import user_followups_until


def overdue_followups_section(*, user, today: datetime.date, now: datetime.datetime) -> dict:
    """Two queries at most."""
    followups = user_followups_until(user=user, until=today - datetime.timedelta(days=1))
    return first_n_with_total(followups) | {"today": today}


def due_soon_followups_section(*, user, today: datetime.date, now: datetime.datetime) -> dict:
    """Due today or in the next 6 days (seven days in all). Two queries at most."""
    followups = user_followups_until(user=user, until=today + datetime.timedelta(days=6)).filter(due_date__gte=today)
    return first_n_with_total(followups) | {"today": today}


def register_sections() -> None:
    digest_sections.register("reminders/emails/digest/overdue", overdue_followups_section, order=10)
    digest_sections.register("reminders/emails/digest/due_soon", due_soon_followups_section, order=20)


def digest_section_list(*, user, today: datetime.date, now: datetime.datetime) -> list[dict]:
    """The sections with something to say, each with its text and HTML template names."""
    return [
        {
            "text_template": section["template"] + ".txt",
            "html_template": section["template"] + ".html",
            "context": section["context"],
        }
        for section in digest_sections.render_list(user=user, today=today, now=now)
        if section["context"].get("count")
    ]
