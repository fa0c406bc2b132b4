"""The purge: trashed customers whose time is up are erased for good, with their history.

Idempotent (an erased customer is skipped) and bounded (TRASH_PURGE_BATCH_SIZE per run; the rest wait for
the next hourly run).
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .services import trash_purge_due


@shared_task(name="trash.purge", ignore_result=True)
def purge() -> int:
    return trash_purge_due(now=timezone.now(), limit=settings.TRASH_PURGE_BATCH_SIZE)
