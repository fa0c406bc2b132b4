"""Which customer field each column of an imported file feeds, and one row's cells cleaned into customer values.

Pure functions: no database. The mapping page, the preview and the import itself all go through here, so what the
user is shown is what gets stored.
"""

import datetime
import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import unescape_cell
from core.text import fold
from customers.models import ContactMethod, Customer, Kind, Status, Tag
from customers.search import phone_digits

# Labels are lazy: this list is built once at import, but each user reads it in their own language.
TARGETS: list[tuple[str, str]] = [
    ("", gettext_lazy("Don't import")), ("name", gettext_lazy("Name")), ("first_name", gettext_lazy("First name")),
    ("last_name", gettext_lazy("Last name")), ("company", gettext_lazy("Company")), ("phone", gettext_lazy("Phone")),
    ("alt_phone", gettext_lazy("Other phone")), ("email", gettext_lazy("Email")),
    ("street", gettext_lazy("Street address")), ("town", gettext_lazy("Town or city")),
    ("postcode", gettext_lazy("Postcode")), ("access_notes", gettext_lazy("Access notes")),
    ("key_points", gettext_lazy("Notes → key points")), ("tags", gettext_lazy("Tags")),
    ("status", gettext_lazy("Status")), ("customer_since", gettext_lazy("Customer since")),
    ("kind", gettext_lazy("Household or business")), ("preferred_contact", gettext_lazy("Preferred contact")),
    ("do_not_contact", gettext_lazy("Do not contact")), ("personality", gettext_lazy("Personality")),
    ("wants", gettext_lazy("What they want")), ("needs", gettext_lazy("What they need")),
    ("hard_needs", gettext_lazy("Hard needs")), ("soft_needs", gettext_lazy("Soft needs")),
    ("source", gettext_lazy("How they found us")),
    ("contact_every_days", gettext_lazy("Stay in touch every (days)")),
    ("happy_to_be_reference", gettext_lazy("Happy to be a reference")),
    ("happy_to_try_new", gettext_lazy("Happy to try new services")),
    # A team member's name, not a Customer field value: the import service finds the member it names.
    ("assigned_to", gettext_lazy("Looked after by")),
]
TARGET_LABELS = dict(TARGETS)
# Free-text notes: several columns may feed each, joined on new lines with inner spacing kept.
_NOTES = {"access_notes", "key_points", "personality", "wants", "needs", "hard_needs", "soft_needs"}
# Targets more than one column may feed (their texts are joined); every other target takes one column at most.
MULTI = {"street", "tags"} | _NOTES

DATE_ORDERS = [
    ("dmy", gettext_lazy("Day/month/year (31/12/2024)")),
    ("mdy", gettext_lazy("Month/day/year (12/31/2024)")),
    ("ymd", gettext_lazy("Year-month-day (2024-12-31)")),
]

# Header names as people and exporters (Google Contacts, Outlook, vCard rows) write them. They are compared
# folded and without punctuation, spaces or digits, so "E-mail 2", "EMAIL" and "Émail" are all "email".
_HEADER_NAMES = {
    # Known, and left out on purpose: another database's ids mean nothing here.
    "": ["id", "customer id", "contact id", "record id"],
    "name": ["name", "full name", "customer", "customer name", "client", "client name", "contact", "contact name",
             "display name"],
    "first_name": ["first name", "given name", "forename", "first"],
    "last_name": ["last name", "surname", "family name", "last"],
    "company": ["company", "company name", "business", "business name", "organisation", "organization",
                "organisation name", "organization name"],
    # A main number when there is one; the "alt_phone" kind only when nothing better is in the file.
    "phone": ["phone", "phone number", "phone no", "mobile", "mobile phone", "mobile number", "mobile no", "cell",
              "cell phone", "cell number", "tel", "telephone", "telephone number", "tel no", "primary phone",
              "main phone", "contact number", "contact phone"],
    "alt_phone": ["home phone", "work phone", "business phone", "office phone", "other phone", "landline",
                  "alternative phone", "alternate phone", "alt phone", "company main phone", "car phone", "home tel",
                  "work tel"],
    "email": ["email", "email address", "mail"],
    "street": ["address", "address line", "street", "street address", "home street", "address street",
               "address extended address"],
    "town": ["city", "town", "town or city", "locality", "suburb", "home city", "address city"],
    "postcode": ["postcode", "post code", "postal code", "zip", "zip code", "zipcode", "home postal code",
                 "address postal code", "zip postal code"],
    "key_points": ["notes", "note", "comments", "comment", "remarks", "key points", "more contact details",
                   "description"],
    "access_notes": ["access", "access notes", "access code", "gate code", "directions", "parking"],
    "tags": ["tags", "tag", "labels", "groups", "group", "group membership", "category", "categories"],
    "status": ["status", "customer status"],
    "customer_since": ["customer since", "since", "start date", "date added", "added", "joined", "date joined",
                       "first visit", "created"],
    "kind": ["household or business", "business or household", "type", "kind", "customer type", "customer kind",
             "client type", "account type"],
    "preferred_contact": ["preferred contact", "preferred contact method", "contact preference", "contact method",
                          "preferred method", "best way to contact", "how to contact"],
    "do_not_contact": ["do not contact", "do not call", "dnc", "don't contact", "don't call", "no contact",
                       "opt out", "opted out"],
    "personality": ["personality", "character"],
    "wants": ["what they want", "wants", "what they would like"],
    "needs": ["what they need", "needs"],
    "hard_needs": ["hard needs"],
    "soft_needs": ["soft needs"],
    "source": ["how they found us", "source", "lead source", "referral source", "customer source", "marketing source",
               "how did you hear about us", "how did they hear about us", "how they heard about us",
               "how did you find us", "how did they find us", "found us via", "heard about us"],
    "contact_every_days": ["stay in touch every (days)", "stay in touch every", "keep in touch every (days)",
                           "contact every (days)", "contact every", "cadence", "contact cadence",
                           "contact frequency", "contact frequency (days)", "follow up every (days)"],
    "happy_to_be_reference": ["happy to be a reference", "happy to be reference", "willing to be a reference",
                              "can be a reference", "reference ok"],
    "happy_to_try_new": ["happy to try new services", "happy to try new", "willing to try new services",
                         "open to new services", "try new services"],
    "assigned_to": ["looked after by", "assigned to", "assigned", "assignee", "account manager", "account owner",
                    "contact owner", "technician", "engineer", "sales rep", "salesperson", "handled by",
                    "managed by", "team member"],
}
_SQUASH = re.compile(r"[^a-z0-9]+")


def _squashed(header: str, *, keep_digits: bool = True) -> str:
    text = _SQUASH.sub("", fold(header))
    return text if keep_digits else re.sub(r"\d+", "", text)


_HEADER_TARGETS = {_squashed(name): target for target, names in _HEADER_NAMES.items() for name in names}


def _header_target(header: str) -> str:
    """The target a header asks for on its own, before columns compete for targets."""
    key = _squashed(header)
    if key in _HEADER_TARGETS:
        return _HEADER_TARGETS[key]
    # Google exports each phone, email and address as "Phone 1 - Label" / "Phone 1 - Value" pairs.
    if key.endswith(("label", "type")):
        return ""
    key = _squashed(header, keep_digits=False).removesuffix("value")
    return _HEADER_TARGETS.get(key, "")


def guess_mapping(header: list[str]) -> list[str]:
    """A target key per column ("" = not imported), guessed from the header names.

    Single targets go to the first column that wants them; of the phone-like columns, a main number (mobile,
    phone) goes first, so the two phones kept are the most useful ones. A full-name column wins over first/last.
    """
    wanted = [_header_target(name) for name in header]
    if "name" in wanted:
        wanted = ["" if target in ("first_name", "last_name") else target for target in wanted]
    mapping = [""] * len(wanted)
    phones = sorted((i for i, target in enumerate(wanted) if target in ("phone", "alt_phone")),
                    key=lambda i: wanted[i] != "phone")
    for i, target in zip(phones, ("phone", "alt_phone"), strict=False):
        mapping[i] = target
    taken = set()
    for i, target in enumerate(wanted):
        if target in ("phone", "alt_phone") or target in taken:
            continue
        mapping[i] = target
        if target not in MULTI:
            taken.add(target)
    return mapping


def mapping_problems(mapping: list[str]) -> list[str]:
    """Sentences for a mapping that cannot import; [] when fine."""
    problems = []
    for number, key in enumerate(mapping, start=1):
        if key not in TARGET_LABELS:
            problems.append(_("Column %(number)s is set to “%(key)s”, which is not a field we know.")
                            % {"number": number, "key": key})
    if not {"name", "first_name", "last_name"} & set(mapping):
        problems.append(_("Choose the column that holds the name (or the first and last names)."))
    for key, label in TARGETS:
        columns = [str(number) for number, used in enumerate(mapping, start=1) if used == key]
        if key and key not in MULTI and len(columns) > 1:
            problems.append(_("Only one column can go into “%(field)s”, but columns %(columns)s both do: pick one.")
                            % {"field": label, "columns": ", ".join(columns)})
    return problems


# Dates: a time after the date (as exports from other software often have) is allowed and ignored.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?(?:z|[+-]\d{2}:?\d{2})?)?"
_ISO_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME, re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME, re.IGNORECASE)
_DATE_SEPARATORS = re.compile(r"[\s,./-]*")
_WORDY_PART = re.compile(r"(\d+)(?:st|nd|rd|th)?|([a-z]+)")
_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]
MONTHS = {name: number for number, full in enumerate(_MONTH_NAMES, start=1) for name in (full, full[:3])} | {"sept": 9}
_ORDER_NAMES = {"dmy": gettext_lazy("day/month/year"), "mdy": gettext_lazy("month/day/year"),
                "ymd": gettext_lazy("year/month/day")}


def detect_date_order(samples: Iterable) -> tuple[str | None, bool]:
    """(order, ambiguous) from a column's values, so the user is asked only when the file cannot tell."""
    orders, undecided, iso = set(), False, False
    for sample in samples:
        if not isinstance(sample, str):
            continue
        text = sample.strip()
        if _ISO_DATE.fullmatch(text):
            iso = True
        elif match := _NUMERIC_DATE.fullmatch(text):
            first, second = int(match[1]), int(match[3])
            if first > 12:
                orders.add("dmy")
            elif second > 12:
                orders.add("mdy")
            else:
                undecided = True
    if len(orders) == 1:
        return orders.pop(), False
    if orders or undecided:
        return None, True
    return ("ymd", False) if iso else (None, False)


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        return year + (2000 if year < 70 else 1900)
    return year


def _wordy_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) from "3 March 2024", "March 3rd, 2024", "3-Mar-24" or "Mar 2024" (the 1st)."""
    folded = fold(text)
    if not _DATE_SEPARATORS.fullmatch(_WORDY_PART.sub(" ", folded)):
        return None
    parts = _WORDY_PART.findall(folded)
    numbers = [number for number, word in parts if number]
    words = [word for number, word in parts if word]
    if len(words) != 1 or words[0] not in MONTHS:
        return None
    month = MONTHS[words[0]]
    if len(numbers) == 1 and len(numbers[0]) == 4:
        return int(numbers[0]), month, 1
    if len(numbers) != 2:
        return None
    day, year = numbers if len(numbers[0]) <= 2 else reversed(numbers)
    if len(day) > 2 or len(year) not in (2, 4):
        return None
    return _full_year(year), month, int(day)


def parse_date(value, order: str | None) -> datetime.date:
    """A date from a cell: date objects as they are, texts in the usual forms (numeric ones in `order`, dmy when
    None). ValueError with a sentence for the user when unreadable, impossible or in the future (a typo)."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        day = _text_date(str(value).strip(), order)
    if day > timezone.localdate():
        raise ValueError(_("Date “%(value)s” is in the future.") % {"value": value})
    return day


def _text_date(text: str, order: str | None) -> datetime.date:
    impossible = _("Date “%(value)s” does not exist.") % {"value": text}
    if match := _ISO_DATE.fullmatch(text):
        parts = int(match[1]), int(match[3]), int(match[4])
    elif match := _NUMERIC_DATE.fullmatch(text):
        first, second, year = match[1], match[3], match[4]
        if order == "ymd":
            parts = _full_year(first), int(second), int(year)
        elif order == "mdy":
            parts = _full_year(year), int(first), int(second)
        else:
            parts = _full_year(year), int(second), int(first)
        impossible = _("Date “%(value)s” does not exist when read as %(order)s.") % {
            "value": text, "order": _ORDER_NAMES[order or "dmy"]}
    elif wordy := _wordy_date(text):
        parts = wordy
    else:
        raise ValueError(_("Date “%(value)s” is not a date we can read.") % {"value": text})
    try:
        return datetime.date(*parts)
    except ValueError:
        raise ValueError(impossible) from None


STATUS_WORDS = {
    "": Status.ACTIVE,
    **{value: value for value in Status.values},
    "customer": Status.ACTIVE, "current": Status.ACTIVE, "yes": Status.ACTIVE,
    "prospect": Status.LEAD, "enquiry": Status.LEAD, "inquiry": Status.LEAD, "potential": Status.LEAD,
    "former": Status.LOST, "past": Status.LOST, "churned": Status.LOST, "cancelled": Status.LOST,
    "canceled": Status.LOST,
    "paused": Status.INACTIVE, "dormant": Status.INACTIVE, "on hold": Status.INACTIVE,
}
_STATUS_CHOICES = ", ".join((Status.ACTIVE, Status.LEAD, Status.INACTIVE, Status.LOST))


def _word_key(text: str) -> str:
    return " ".join(_SQUASH.sub(" ", fold(text)).split())


_CHOICES = {"kind": Kind, "preferred_contact": ContactMethod, "source": Customer.Source}
# Everyday words for each choice, besides its stored value and its label (which every choice accepts).
_CHOICE_WORDS = {
    "kind": {
        Kind.HOUSEHOLD: ["home", "house", "domestic", "residential", "private", "individual", "person"],
        Kind.BUSINESS: ["company", "commercial", "organisation", "organization", "firm", "trade"],
    },
    "preferred_contact": {
        ContactMethod.PHONE: ["call", "telephone", "tel", "ring", "voice"],
        ContactMethod.TEXT: ["text", "sms", "txt", "texts", "message"],
        ContactMethod.EMAIL: ["e mail", "mail"],
        ContactMethod.ANY: ["any", "either", "anything", "no pref"],
    },
    "source": {
        Customer.Source.REFERRAL: ["referral", "referred", "customer referral", "recommended", "recommendation"],
        Customer.Source.WORD_OF_MOUTH: ["wom", "friend", "friends", "family", "neighbour", "neighbor"],
        Customer.Source.WEBSITE: ["web", "web site", "our website", "online"],
        Customer.Source.SEARCH: ["search", "google", "bing", "google search", "seo"],
        Customer.Source.SOCIAL: ["social", "facebook", "instagram", "linkedin", "tiktok", "nextdoor", "twitter"],
        Customer.Source.ADVERT: ["ad", "ads", "advert", "adverts", "advertisement", "advertising", "flyer", "flyers",
                                 "leaflet", "leaflets", "newspaper", "radio", "poster"],
        Customer.Source.REPEAT: ["repeat", "returning", "repeat customer", "existing customer", "previous customer"],
        Customer.Source.UNKNOWN: ["don't know", "not known", "not sure"],
    },
}
_YES_NO = {"yes": True, "y": True, "true": True, "1": True, "x": True, "no": False, "n": False, "false": False, "0": False}
# A team member's username, first and last name are each at most this long; the service matches the text to one.
_MEMBER_NAME_LIMIT = 150


@functools.cache
def _choice_words(target: str, language: str | None) -> dict[str, str]:
    """{word key: stored value}: the choice's words, its values and its labels in English (what the customer
    export writes) and in the user's language (a file they typed themselves)."""
    choices = _CHOICES[target]
    words = {_word_key(word): str(value) for value, names in _CHOICE_WORDS[target].items() for word in names}
    for label_language in ("en", language):
        with translation.override(label_language):
            words |= {_word_key(str(label)): value for value, label in choices.choices}
    return words | {_word_key(value): value for value in choices.values if value}


def _clean_choice(target: str, text: str) -> str:
    words = _choice_words(target, translation.get_language())
    if _word_key(text) in words:
        return words[_word_key(text)]
    labels = ", ".join(str(label) for value, label in _CHOICES[target].choices if value)
    raise ValueError(_("%(field)s “%(value)s” is not one of: %(choices)s.")
                     % {"field": TARGET_LABELS[target], "value": text, "choices": labels})


def _clean_days(target: str, text: str) -> int:
    """A whole number within the model's own limits, so the import refuses exactly what the card's form would."""
    validators = Customer._meta.get_field(target).validators
    low = max(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = min(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    if re.fullmatch(r"[0-9]+", text) and low <= int(text) <= high:
        return int(text)
    raise ValueError(_("%(field)s “%(value)s” is not a whole number from %(low)s to %(high)s.")
                     % {"field": TARGET_LABELS[target], "value": text, "low": low, "high": high})


@dataclass
class CleanRow:
    values: dict = field(default_factory=dict)    # Customer field -> cleaned value, only valid and non-empty ones
    tags: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    phone_keys: list[str] = field(default_factory=list)
    email_key: str = ""
    fingerprint: str = ""


_TAG_SEPARATORS = re.compile(r":::|[,;|\n]")  # ":::" is how Google Contacts joins labels in one cell
_LENGTH_CHECKED = ("name", "company", "email", "street", "town", "postcode")


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat(" ", "minutes")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    # A file we exported marks a text a spreadsheet would run with an apostrophe (core.spreadsheets): read it back.
    return unescape_cell(str(cell).strip())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _once(parts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(part for part in parts if part))


def _joined_texts(texts: dict[str, list[str]]) -> dict[str, str]:
    """Each target's text from its columns: one-line fields collapsed, MULTI fields joined."""
    joined = {}
    for target, parts in texts.items():
        if target == "street":
            lines = (_one_line(line) for part in parts for line in part.splitlines())
            joined[target] = ", ".join(_once(lines))
        elif target in _NOTES:
            joined[target] = "\n".join(_once(part.strip() for part in parts))
        elif target != "tags":
            joined[target] = _one_line(parts[0])
    return joined


def _clean_tags(parts: list[str], problems: list[str]) -> list[str]:
    limit = Tag._meta.get_field("name").max_length
    tags = {}
    for part in parts:
        for tag in filter(None, map(_one_line, _TAG_SEPARATORS.split(part))):
            if tag.startswith("* "):
                continue  # Google Contacts' own groups ("* myContacts", "* starred"), on every contact: no tag
            if len(tag) > limit:
                problems.append(_("Tag “%(tag)s” is longer than %(max)s characters.") % {"tag": tag, "max": limit})
            else:
                tags.setdefault(tag.lower(), tag)  # the way Tag's unique constraint compares names
    return list(tags.values())


def _clean_phone(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _clean_value(target: str, text: str, cell, date_order: str | None):
    """The stored value for one target, or ValueError with a sentence for the user."""
    if target in ("phone", "alt_phone"):
        if number := _clean_phone(text):
            return number
        raise ValueError(_("%(field)s “%(value)s” is not a phone number.")
                         % {"field": TARGET_LABELS[target], "value": text})
    if target == "email":
        try:
            EmailValidator()(text)
        except ValidationError:
            raise ValueError(_("Email “%(value)s” is not an email address.") % {"value": text}) from None
    if target == "status":
        if _word_key(text) not in STATUS_WORDS:
            raise ValueError(_("Status “%(value)s” is not one of: %(choices)s.")
                             % {"value": text, "choices": _STATUS_CHOICES})
        return STATUS_WORDS[_word_key(text)]
    if target == "customer_since":
        return parse_date(cell if isinstance(cell, datetime.date) else text, date_order)
    if target in _CHOICES:
        return _clean_choice(target, text)
    if target in ("do_not_contact", "happy_to_be_reference", "happy_to_try_new"):
        if _word_key(text) not in _YES_NO:
            raise ValueError(_("%(field)s “%(value)s” is not yes or no.")
                             % {"field": TARGET_LABELS[target], "value": text})
        return _YES_NO[_word_key(text)]
    if target == "contact_every_days":
        return _clean_days(target, text)
    if target == "assigned_to" and len(text) > _MEMBER_NAME_LIMIT:
        raise ValueError(_("%(field)s is longer than %(max)s characters.")
                         % {"field": TARGET_LABELS[target], "max": _MEMBER_NAME_LIMIT})
    if target in _LENGTH_CHECKED:
        limit = Customer._meta.get_field(target).max_length
        if len(text) > limit:
            raise ValueError(_("%(field)s is longer than %(max)s characters.")
                             % {"field": TARGET_LABELS[target], "max": limit})
    return text


def _fingerprint(values: dict, tags: list[str]) -> str:
    payload = json.dumps([values, sorted(tag.lower() for tag in tags)], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def clean_row(cells: list, mapping: list[str], *, date_order: str | None) -> CleanRow:
    """One row's cells (str, date or datetime) as customer values, with a sentence for each value that is wrong.

    Texts are kept as typed, signs included ("=1+1" stays text: nothing here evaluates a cell). A row with problems
    still returns every value it could clean, so the preview can show them beside what went wrong.
    """
    texts: dict[str, list[str]] = {}
    date_cell = None
    for cell, target in zip(cells, mapping, strict=False):
        text = _cell_text(cell)
        if target and text:
            texts.setdefault(target, []).append(text)
            if target == "customer_since":
                date_cell = cell
    joined = _joined_texts(texts)
    joined["name"] = joined.get("name") or " ".join(filter(None, (joined.get("first_name"), joined.get("last_name"))))
    row = CleanRow()
    row.tags = _clean_tags(texts.get("tags", []), row.problems)
    if not joined["name"]:
        row.problems.append(_("No name."))
    for target, _label in TARGETS:
        text = joined.get(target)
        if not text or target in ("first_name", "last_name"):
            continue
        try:
            value = _clean_value(target, text, date_cell, date_order)
        except ValueError as error:
            row.problems.append(str(error))
            continue
        if value != "":  # a source of "Unknown" is the model's default, as if the cell were empty
            row.values[target] = value
    if row.values.get("alt_phone") == row.values.get("phone"):
        row.values.pop("alt_phone", None)
    row.phone_keys = [phone_digits(row.values[key]) for key in ("phone", "alt_phone") if key in row.values]
    row.email_key = row.values.get("email", "").lower()
    row.fingerprint = _fingerprint(row.values, row.tags)
    return row
