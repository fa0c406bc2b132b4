from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils import timezone
from django.utils.translation import gettext as _

from .sessions import session_idle_expired, session_seen
from .timezones import user_time_zone

# The offline copy lives in the service worker's caches, IndexedDB and localStorage ("storage"); "cache" is the
# browser's HTTP cache of pages. Cookies are left: the session cookie is already deleted by then.
CLEAR_SITE_DATA = '"cache", "storage"'


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
    """Ends a session left idle too long, and tells a device whose session has ended to wipe what it keeps.

    The wipe is the standard Clear-Site-Data header (the service worker's caches, IndexedDB, localStorage), on
    every response to a request that came with a session cookie for a sign-in that is over: signed out here,
    signed out everywhere, idle too long, deactivated, or a session the server no longer knows. A session that
    never had a sign-in (a password reset in progress) is left alone.

    After django.contrib.messages' middleware: the idle sign-out leaves a message for the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        carried_cookie = bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        # Read before request.user: Django's get_user empties a session whose signature no longer matches.
        had_sign_in = carried_cookie and SESSION_KEY in request.session
        unknown_session = carried_cookie and request.session.session_key is None
        ended = ""
        if unknown_session or (had_sign_in and not request.user.is_authenticated):
            # Deactivated: Django refuses the user but keeps the session; drop it so the cookie goes too.
            request.session.flush()
            ended = _("Your sign-in on this device has ended. Please log in again.")
        elif had_sign_in and session_idle_expired(request):
            logout(request)
            ended = _("You were signed out after a while without using the app. Please log in again.")
        elif had_sign_in:
            session_seen(request)
        if ended:
            # Before the view, so that the login page this request may show says it.
            messages.info(request, ended, fail_silently=True)
        response = self.get_response(request)
        if (had_sign_in or unknown_session) and not request.user.is_authenticated:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
