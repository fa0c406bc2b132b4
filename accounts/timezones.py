"""The user's own time zone, for pages (the middleware), tasks and emails alike."""

import datetime
import zoneinfo

from django.utils import timezone


def user_time_zone(user) -> datetime.tzinfo:
    """The user's own zone; the server's default when it is unknown."""
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.get_default_timezone()


def user_localdate(user, now: datetime.datetime | None = None) -> datetime.date:
    """The date it is for this user now, wherever the code runs (a page, a task, an email)."""
    return timezone.localtime(now or timezone.now(), user_time_zone(user)).date()
