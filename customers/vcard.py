"""A customer as a contact card (vCard 3.0), for "Save to my phone's contacts": a phone reads 3.0 everywhere."""

import vobject
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Customer


def _name_parts(name: str) -> tuple[str, str]:
    """(given, family): the last word is taken as the family name, as a phone shows it ("Núñez, José")."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return " ".join(words[:-1]), words[-1]


def _phone_text(number) -> str:
    """E.164 ("+12025550101"); a number that is not valid (kept as typed by an old import) as it was typed."""
    return number.as_e164 if number.is_valid() else str(number.raw_input)


def _note(customer: Customer) -> str:
    parts = []
    if customer.access_notes:
        parts.append(_("Access: %(notes)s") % {"notes": customer.access_notes})
    if customer.key_points:
        parts.append(customer.key_points)
    return "\n".join(parts)


def customer_vcard(customer: Customer) -> str:
    """The card's text: name, company for a business, phones, email, address, and a note with the access notes
    and key points, which are what is needed on the doorstep."""
    card = vobject.vCard()
    card.add("fn").value = customer.name
    given, family = _name_parts(customer.name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    is_business = customer.kind == Customer.Kind.BUSINESS
    if is_business and customer.company:
        card.add("org").value = [customer.company]
    if customer.phone:
        tel = card.add("tel")
        tel.value = _phone_text(customer.phone)
        tel.type_param = "CELL"
    if customer.alt_phone:
        tel = card.add("tel")
        tel.value = _phone_text(customer.alt_phone)
        tel.type_param = "WORK" if is_business else "HOME"
    if customer.email:
        email = card.add("email")
        email.value = customer.email
        email.type_param = "INTERNET"
    if customer.street or customer.town or customer.postcode:
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(street=customer.street, city=customer.town, code=customer.postcode)
        adr.type_param = "WORK" if is_business else "HOME"
    if note := _note(customer):
        card.add("note").value = note
    return card.serialize()


def vcard_filename(customer: Customer) -> str:
    return f"{slugify(customer.name) or 'contact'}.vcf"
