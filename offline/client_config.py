"""The paths and names that the page script (offline.js) and the service worker share, in one place.

The service worker gets them from its own view, the page script from a JSON element in templates/offline/_head.html,
so neither script spells a path or a pattern of its own: a URL changed in a urls.py reaches both.
"""

import re

from django.urls import reverse

from accounts.sessions import WIPE_ALL, WIPE_PAGES

# Reversed in place of a real pk, then swapped for ID in a template or for a digit group in a pattern.
_SAMPLE_PK = 918273645
ID = "{id}"
# The shell cache's name ends with the service worker's version; customer data lives in the other two.
CACHES = {"shell": "servicecrm-shell-", "pages": "servicecrm-pages", "saved": "servicecrm-saved"}
# The IndexedDB database holding the visits logged on the phone and not yet sent.
QUEUE_DATABASE = "servicecrm-offline"


def _js_pattern(path: str) -> str:
    """A JavaScript RegExp source matching `path` with any pk in place of the sample one."""
    escaped = re.sub(r"[.*+?^${}()|[\]\\/]", r"\\\g<0>", path)
    return "^" + escaped.replace(str(_SAMPLE_PK), r"(\d+)") + "$"


def _per_customer(view_name: str) -> tuple[str, str]:
    """(template with ID for the customer's pk, pattern whose group 1 is the pk) of a view taking one pk."""
    path = reverse(view_name, args=[_SAMPLE_PK])
    return path.replace(str(_SAMPLE_PK), ID), _js_pattern(path)


def shared_config() -> dict:
    card, card_pattern = _per_customer("customers:detail")
    log_form, log_form_pattern = _per_customer("interactions:create")
    saved_customer, _ = _per_customer("offline:saved_customer")
    offline_page = reverse("offline:page")
    return {
        "idPlaceholder": ID,
        "card": card,
        "cardPattern": card_pattern,
        "logForm": log_form,
        "logFormPattern": log_form_pattern,
        "savedCustomer": saved_customer,
        # Never served: the key under which the service worker keeps its list of saved customers on the phone.
        "savedList": f"{offline_page}saved-customers.json",
        "caches": CACHES,
        "queueDatabase": QUEUE_DATABASE,
        # What a page for nobody (data-offline-wipe in templates/offline/_head.html) tells the page script to drop.
        "wipe": {"all": WIPE_ALL, "pages": WIPE_PAGES},
        "offlinePage": offline_page,
        "loginPage": reverse("login"),
        "logoutPage": reverse("logout"),
        "today": reverse("today"),
        "precache": reverse("offline:precache"),
        "sync": reverse("offline:sync_interaction"),
        "serviceWorker": reverse("offline:service_worker"),
    }
