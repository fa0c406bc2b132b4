import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.forms import JsonBodyRefused, json_body
from customers.access import get_customer_for_user
from interactions.forms import InteractionForm

from . import selectors, services
from .client_config import shared_config
from .forms import SyncEnvelopeForm, sync_form_data

SERVICE_WORKER_SOURCE = "offline/service-worker.js"
# Kept on the phone at install, so that pages read offline still look right.
SHELL_ASSETS = [
    "bootstrap/css/bootstrap.min.css",
    "css/app.css",
    "css/mobile.css",
    "django_htmx/htmx-2.min.js",
    "bootstrap/js/bootstrap.bundle.min.js",
    "js/app.js",
    "offline/offline.js",
    "offline/icons/icon-192.png",
]


@lru_cache(maxsize=1)
def _service_worker_source() -> str:
    with open(finders.find(SERVICE_WORKER_SOURCE), encoding="utf-8") as handle:
        return handle.read()


@require_GET
def service_worker(request):
    """The service worker, from the site root so that its scope is the whole site."""
    config = {**shared_config(), "shell": [static(asset) for asset in SHELL_ASSETS] + [reverse("offline:page")]}
    source = _service_worker_source()
    # The version changes whenever the worker or an asset URL changes, so phones pick up the new one.
    config["version"] = hashlib.sha256((json.dumps(config, sort_keys=True) + source).encode()).hexdigest()[:12]
    body = f"self.SW_CONFIG = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers must always ask for a fresh copy, or an update waits for the HTTP cache to expire.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """The web app manifest: what a phone needs to install ServiceCRM on its home screen."""
    data = {
        "name": settings.BUSINESS_NAME,
        "short_name": settings.BUSINESS_NAME[:12],
        "description": _("Customers, visits and follow-ups, on site and offline."),
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("offline/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("offline/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("offline/icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
def offline_page(request):
    """Shown by the service worker when a page is not on the phone. Holds no customer data itself."""
    # Rendered as for nobody: the copy kept on the phone must not carry whoever was logged in when it was fetched.
    return render(request, "offline/offline.html", {"user": AnonymousUser()})


@never_cache
@require_GET
def precache(request):
    """The cards (and log forms) of the customers this user has follow-ups with in the coming week."""
    customers = selectors.precache_customers(user=request.user, today=timezone.localdate())
    return JsonResponse({"customers": selectors.precache_urls(customers=customers)})


@never_cache
@require_GET
def saved_customer(request, pk: int):
    """How the phone lists a card it has just saved (name, card, log form): asked by the service worker."""
    customer = get_customer_for_user(request.user, pk)
    return JsonResponse(selectors.saved_customer_entry(customer))


def _refused(message, *, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": {"__all__": [{"message": str(message)}]}}, status=status)


@require_POST
def sync_interaction(request):
    """A visit logged on the phone: JSON {client_key, customer, data: {field: value or [values]}}.

    Stored once per client_key: a repeat returns 200 with the same id instead of 201.
    """
    try:
        payload = json_body(request)
    except JsonBodyRefused as refused:
        return _refused(refused.message, status=refused.status)
    envelope = SyncEnvelopeForm(payload) if isinstance(payload, dict) else None
    if envelope is None or not envelope.is_valid():
        return _refused(_("This is not a visit the server understands."))
    # A visit queued on a shared phone by someone else waits for them; it is never stored as this user's.
    if "logged_by" in payload and str(payload["logged_by"]) != str(request.user.pk):
        return _refused(_("This visit was logged by someone else on this phone."), status=409)
    try:
        data = sync_form_data(payload.get("data") or {})
    except TypeError:
        return _refused(_("This is not a visit the server understands."))
    customer = get_customer_for_user(request.user, envelope.cleaned_data["customer"])
    form = InteractionForm(data, user=request.user)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    interaction, created = services.interaction_sync(
        customer=customer,
        user=request.user,
        client_key=envelope.cleaned_data["client_key"],
        fields={**form.interaction_fields(), **form.followup_fields()},
    )
    if created and payload.get("announce"):
        messages.success(request, _("Logged."))
    return JsonResponse(
        {"id": interaction.pk, "created": created, "customer_url": customer.get_absolute_url()},
        status=201 if created else 200,
    )
