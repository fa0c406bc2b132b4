"""Settings of sign-in and password reset that can be wrong: said at start-up, not found by a user."""

import re

from django.conf import settings
from django.core import checks

# django-ratelimit's "count/period": 5/h, 100/10m.
RATE = re.compile(r"^\d+/\d*[smhd]$")


@checks.register(checks.Tags.security)
def check_session_settings(app_configs, **kwargs):
    errors = []
    idle, age = settings.SESSION_IDLE_TIMEOUT, settings.SESSION_COOKIE_AGE
    if idle <= 0:
        errors.append(checks.Error("SESSION_IDLE_TIMEOUT must be a positive number of seconds.", id="accounts.E001"))
    elif idle > age:
        errors.append(checks.Error(
            f"SESSION_IDLE_TIMEOUT ({idle} s) is longer than SESSION_COOKIE_AGE ({age} s): "
            "an idle-limited session would outlive one the user asked to keep.",
            id="accounts.E002",
        ))
    if not RATE.match(str(settings.PASSWORD_RESET_RATE_LIMIT)):
        errors.append(checks.Error(
            f"PASSWORD_RESET_RATE_LIMIT {settings.PASSWORD_RESET_RATE_LIMIT!r} is not a rate such as 5/h or 20/10m.",
            id="accounts.E003",
        ))
    return errors
