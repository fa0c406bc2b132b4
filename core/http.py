"""Small request helpers that several apps share."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, default: str = "") -> str:
    """The page to go back to ("next" in the form or the query string) when it is on this site; `default` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default
