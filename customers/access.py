"""Who may open which customer: the one fetch-and-check that every view loading a customer goes through."""

from django.http import Http404

from . import selectors
from .models import Customer


def get_customer_for_user(user, pk: int, *, for_card: bool = False) -> Customer:
    """The customer, if this user may open it: every signed-in user may, as in a small team everyone covers.

    A rule about who may see whom is added here once, for every page; "not found" and "not yours" look the
    same (404). `for_card` loads what the card shows beside the profile too.
    """
    customer = selectors.customer_for_card(pk) if for_card else selectors.customer_get(pk=pk)
    if customer is None:
        raise Http404
    return customer
