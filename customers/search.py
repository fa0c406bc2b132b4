"""Text and phone normalisation shared by storage and search, so both sides agree."""

import re

import phonenumbers
from django.conf import settings

_NON_DIGITS = re.compile(r"\D+")
_PHONE_LIKE = re.compile(r"^[\d\s()+.\-/]+$")


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text or "")

def phone_digits(number) -> str:
    """The digits of a number in E.164 (country code included), as stored for look-up."""
    if not number:
        return ""
    if isinstance(number, phonenumbers.PhoneNumber):
        return digits(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    try:
        parsed = phonenumbers.parse(str(number), settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return digits(str(number))
    return digits(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))

def phone_query_digits(query: str) -> str:
    """The digits to look for when a query looks like (part of) a phone number, else ""."""
    query = (query or "").strip()
    if not query or not _PHONE_LIKE.match(query):
        return ""
    return digits(query)

def phone_query_variants(query: str) -> list[str]:
    """Every digit string a phone-like query may appear as inside stored E.164 digits.

    Numbers are stored with their country code and without the national trunk prefix
    ("020 7946 0018" in the UK is stored as 442079460018), so a query typed the national
    way is also looked for without that prefix.
    """
    number = phone_query_digits(query)
    if not number:
        return []
    variants = [number]
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(settings.PHONENUMBER_DEFAULT_REGION)
    prefix = metadata.national_prefix if metadata else None
    if not query.strip().startswith("+") and prefix and number.startswith(prefix) and len(number) - len(prefix) >= 3:
        variants.append(number[len(prefix):])
    return variants


def phone_query_whole_numbers(query: str) -> list[str]:
    """The stored digits (E.164, country code first) a query would have if it were a whole phone number.

    Used to rank an exact number first: "020 7946 0018" typed in the UK is stored as 442079460018.
    """
    variants = phone_query_variants(query)
    if not variants or query.strip().startswith("+"):
        return variants
    country_code = str(phonenumbers.country_code_for_region(settings.PHONENUMBER_DEFAULT_REGION) or "")
    return variants + [country_code + number for number in variants if country_code]
