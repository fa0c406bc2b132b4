"""Small request helpers that several apps share: where to go back to, and who is asking."""

import ipaddress

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

# Pages a "next" link must never lead to: going back to them would undo what the user just did.
NEVER_NEXT = {"logout"}


def safe_next_url(request, default: str = "") -> str:
    """The page to go back to ("next" in the form or the query string), or `default`.

    Only a local path of one of our own pages is taken ("/customers/12/?q=ann"): not another site, not a
    URL name or other text that is no path, not the logout page.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 2000:
        return default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return default
    try:
        match = resolve(target.split("?", 1)[0].split("#", 1)[0])
    except (Resolver404, ValueError):
        return default
    if match.view_name in NEVER_NEXT:
        return default
    return target


def client_ip(request) -> str:
    """The client's address, believing X-Forwarded-For only as far as our own proxies wrote it.

    Each of the TRUSTED_PROXY_COUNT proxies in front of the app appends the address it received the request
    from, so the real client is that many entries from the right. Anything further left was sent by the
    client and may be forged; with too few entries the request did not come through the proxies, and the
    connection's own address is used.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    # A dual-stack proxy may write an IPv4 client as ::ffff:a.b.c.d: one client, one key.
    return str(getattr(address, "ipv4_mapped", None) or address)
