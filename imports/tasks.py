"""The import's runs in the worker, and their resumption after a worker died in the middle of one.

A run commits chunk by chunk with its progress (imports.services); when its worker dies, its heartbeat stops. The
next worker to start, and beat every minute, send the runs that went quiet for IMPORT_STALL_SECONDS again: the new
runner resumes after the last chunk committed. Sending twice is harmless: a runner that finds the batch alive in
another, or finished, does nothing.
"""

from celery import shared_task
from celery.signals import worker_ready

from . import services


@shared_task(name="imports.run", ignore_result=True)
def run(batch_id: int) -> None:
    services.run(batch_id)


@shared_task(name="imports.resume_stalled", ignore_result=True)
def resume_stalled() -> int:
    stalled = services.stalled_batches()
    for batch_id in stalled:
        run.delay(batch_id)
    return len(stalled)


@worker_ready.connect
def resume_after_restart(sender=None, **kwargs):
    resume_stalled.delay()
