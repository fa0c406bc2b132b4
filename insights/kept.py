"""Figures that take long to compute over a busy business's whole book are kept a few minutes
(settings.INSIGHTS_CACHE_SECONDS; 0 computes them every time), and say when they were computed."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def kept(key: str, compute) -> dict:
    """{"value": compute(), "computed_at": when}, from the cache when it holds one for `key`."""
    seconds = settings.INSIGHTS_CACHE_SECONDS
    found = cache.get(key) if seconds else None
    if found is None:
        found = {"value": compute(), "computed_at": timezone.now()}
        if seconds:
            cache.set(key, found, seconds)
    return found
