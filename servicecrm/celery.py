"""The Celery app, configured from Django settings (namespace CELERY).

Run one worker per machine and exactly ONE beat for the whole installation (see README):
every periodic task here is safe to run twice, but two beats would do every run twice.
"""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecrm.settings.dev")

app = Celery("servicecrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def make_broker_folders(sender, **kwargs):
    """kombu's filesystem transport (the default without REDIS_URL) expects its folders to exist."""
    conf = sender.conf
    if str(conf.broker_url).startswith("filesystem"):
        options = conf.broker_transport_options or {}
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)
    if conf.beat_schedule_filename:
        Path(conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)

# The schedule lives in code, in UTC. Reminders are due at each user's local hour, so the dispatcher
# runs every few minutes and works out who is due; it expires before the next run so that a
# backlog after downtime does not pile up (each run looks at everything still due anyway).
app.conf.beat_schedule = {
    "reminders-dispatch": {
        "task": "reminders.dispatch",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Trashed customers past TRASH_RETENTION_DAYS are erased for good, a bounded batch per run.
    # An import whose worker died is resumed by the next worker to start, or by this within a minute.
    "imports-resume-stalled": {
        "task": "imports.resume_stalled",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},
    },
    "trash-purge": {
        "task": "trash.purge",
        "schedule": crontab(minute=17),
        "options": {"expires": 55 * 60},
    },
}
