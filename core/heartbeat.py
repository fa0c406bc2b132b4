"""A periodic job says "I ran" here; /healthz reads it to tell a stopped beat from a quiet one."""

from django.utils import timezone

from .models import Heartbeat

# The tick /healthz watches: the beat schedules the reminders' dispatcher every 5 minutes in every
# installation, and the dispatcher records each completed run under this name.
BEAT_TICK = "reminders.dispatch"


def beat(name: str) -> None:
    """Record that `name` ran now: one statement (an upsert), so two runs at once cannot collide."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, at=timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["at"],
    )


def last_beat(name: str):
    """When `name` last ran, or None if it never has."""
    return Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()
