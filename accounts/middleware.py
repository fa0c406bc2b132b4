from django.utils import timezone

from .timezones import user_time_zone


class UserTimezoneMiddleware:
    """Show every date and time in the signed-in user's own zone (stored in UTC)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # An unknown zone gives the server's default, as if none were active.
            timezone.activate(user_time_zone(user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The zone must not outlive the request: the thread goes on to serve others (and to run tests).
            timezone.deactivate()


class SessionIdleTimeoutMiddleware:
    """Placeholder until the idle timeout is written: passes every request through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
