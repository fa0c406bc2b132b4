"""What each export holds: its columns, their headers and how a row's value is read.

Values are plain (text, numbers, dates, local date-times without a zone, None); core.spreadsheets writes them as
CSV or .xlsx and keeps any text that a spreadsheet would run as a formula as text. Labels of choices are read once
per export, not once per row: 100,000 rows must stay quick.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer
from interactions.models import Interaction


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]


def header(columns: list[Column]) -> list[str]:
    return [str(column.header) for column in columns]


def rows(columns: list[Column], objects: Iterable) -> Iterator[list]:
    values = [column.value for column in columns]
    for obj in objects:
        yield [value(obj) for value in values]


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def _name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """As User.__str__ shows someone: their full name, else their username; "" for no one."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


def _person(user) -> str:
    return _name(user.first_name, user.last_name, user.username) if user is not None else ""


def _yes_no() -> Callable[[bool], str]:
    words = {True: _("yes"), False: _("no")}
    return words.__getitem__


def _local(tz) -> Callable[[datetime.datetime | None], datetime.datetime | None]:
    """The user's own clock time to the minute, without a zone (a spreadsheet keeps none)."""

    def local(moment):
        return timezone.localtime(moment, tz).replace(tzinfo=None, second=0, microsecond=0) if moment else None

    return local


# The customer file's header is also what the import recognises, so that an export imports back unchanged
# (the round trip): change a name here and there together.
CUSTOMER_HEADER = [
    gettext_lazy("Id"), gettext_lazy("Name"), gettext_lazy("Company"), gettext_lazy("Household or business"),
    gettext_lazy("Status"), gettext_lazy("Phone"), gettext_lazy("Other phone"), gettext_lazy("Email"),
    gettext_lazy("Preferred contact"), gettext_lazy("Do not contact"), gettext_lazy("Street address"),
    gettext_lazy("Town or city"), gettext_lazy("Postcode"), gettext_lazy("Access notes"), gettext_lazy("Key points"),
    gettext_lazy("Personality"), gettext_lazy("What they want"), gettext_lazy("What they need"),
    gettext_lazy("Hard needs"), gettext_lazy("Soft needs"), gettext_lazy("How they found us"), gettext_lazy("Tags"),
    gettext_lazy("Looked after by"), gettext_lazy("Stay in touch every (days)"), gettext_lazy("Customer since"),
    gettext_lazy("Happy to be a reference"), gettext_lazy("Happy to try new services"),
]


def customer_columns() -> list[Column]:
    """Every column of the customer file, in CUSTOMER_HEADER's order, read from selectors.customers' dicts."""
    kinds, statuses = _labels(Customer.Kind.choices), _labels(Customer.Status.choices)
    contacts, sources = _labels(Customer.ContactMethod.choices), _labels(Customer.Source.choices)
    yes_no = _yes_no()
    values = [
        itemgetter("id"),
        itemgetter("name"),
        itemgetter("company"),
        lambda c: kinds.get(c["kind"], c["kind"]),
        lambda c: statuses.get(c["status"], c["status"]),
        itemgetter("phone_e164"),
        itemgetter("alt_phone_e164"),
        itemgetter("email"),
        lambda c: contacts.get(c["preferred_contact"], c["preferred_contact"]),
        lambda c: yes_no(c["do_not_contact"]),
        itemgetter("street"),
        itemgetter("town"),
        itemgetter("postcode"),
        itemgetter("access_notes"),
        itemgetter("key_points"),
        itemgetter("personality"),
        itemgetter("wants"),
        itemgetter("needs"),
        itemgetter("hard_needs"),
        itemgetter("soft_needs"),
        lambda c: sources.get(c["source"], c["source"]),
        lambda c: ", ".join(c["tags"]),
        lambda c: _name(c["assigned_to__first_name"], c["assigned_to__last_name"], c["assigned_to__username"]),
        itemgetter("contact_every_days"),
        itemgetter("customer_since"),
        lambda c: yes_no(c["happy_to_be_reference"]),
        lambda c: yes_no(c["happy_to_try_new"]),
    ]
    return [Column(name, value) for name, value in zip(CUSTOMER_HEADER, values, strict=True)]


def _duration_minutes(seconds: int | None) -> float | int | None:
    if seconds is None:
        return None
    minutes = seconds / 60
    return int(minutes) if minutes.is_integer() else round(minutes, 2)


def interaction_columns(*, tz, money: bool) -> list[Column]:
    """`money`: the amounts charged and refunded, for the owner only."""
    channels, directions = _labels(Interaction.Channel.choices), _labels(Interaction.Direction.choices)
    attitudes = _labels(Interaction.Attitude.choices)
    yes_no, local = _yes_no(), _local(tz)
    columns = [
        Column(_("Id"), attrgetter("pk")),
        Column(_("Customer id"), attrgetter("customer_id")),
        Column(_("Customer"), lambda i: str(i.customer)),
        Column(_("When"), lambda i: local(i.occurred_at)),
        Column(_("Who"), lambda i: _person(i.user)),
        Column(_("Channel"), lambda i: channels.get(i.channel, i.channel)),
        Column(_("Direction"), lambda i: directions.get(i.direction, i.direction)),
        Column(_("Duration (minutes)"), lambda i: _duration_minutes(i.duration_seconds)),
        Column(_("What did they ask for?"), attrgetter("asked_for")),
        Column(_("Their attitude"), lambda i: attitudes.get(i.attitude, "")),
        Column(_("Attitude note"), attrgetter("attitude_note")),
        Column(_("What did we say and do?"), attrgetter("we_said_did")),
        Column(_("What could we have done better?"), attrgetter("could_do_better")),
        Column(_("Did we ask for a sale?"), lambda i: yes_no(i.asked_for_sale)),
        Column(_("Did we ask for a referral?"), lambda i: yes_no(i.asked_for_referral)),
        Column(_("Ideas for offering more services"), attrgetter("more_services_ideas")),
        Column(_("Resolved on first contact"), lambda i: yes_no(i.resolved_first_contact)),
    ]
    if money:
        columns += [
            Column(_("Amount charged"), attrgetter("amount_charged")),
            Column(_("Amount refunded"), attrgetter("amount_refunded")),
        ]
    return columns


def followup_columns(*, tz) -> list[Column]:
    local = _local(tz)
    return [
        Column(_("Id"), attrgetter("pk")),
        Column(_("Customer id"), attrgetter("customer_id")),
        Column(_("Customer"), lambda f: str(f.customer)),
        Column(_("What to do"), attrgetter("description")),
        Column(_("Due"), attrgetter("due_date")),
        Column(_("Assigned to"), lambda f: _person(f.assigned_to)),
        Column(_("Attempts"), attrgetter("attempts")),
        Column(_("Done"), lambda f: local(f.done_at)),
        Column(_("Done by"), lambda f: _person(f.done_by)),
        Column(_("Outcome"), attrgetter("outcome")),
    ]

