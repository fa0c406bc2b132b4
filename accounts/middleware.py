from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from django.utils.translation import gettext as _

from .sessions import (
    WIPE_ALL,
    WIPE_PAGES,
    idle_sign_out_wipe,
    session_end_idle,
    session_idle_expired,
    session_seen,
)
from .timezones import user_time_zone

# "storage" is the service worker's caches, IndexedDB (the visits not yet sent) and localStorage; "cache" is the
# browser's HTTP cache of pages. After an idle sign-out the visits must stay, so the header leaves "storage": the
# service worker and the page script drop the customer pages they keep (static/offline/). Cookies are left: the
# session cookie is already deleted or replaced by then.
CLEAR_SITE_DATA = {WIPE_ALL: '"cache", "storage"', WIPE_PAGES: '"cache"'}


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

    The wipe is the standard Clear-Site-Data header, on every response to a request that came with a session
    cookie for a sign-in that is over, and how much it wipes depends on why (accounts.sessions): everything when
    signed out here or everywhere, deactivated, or a session the server no longer knows; only the customer pages
    when idle too long, so that the visits logged offline wait on the phone for their author. The same answer
    goes to the page script as request.offline_wipe (templates/offline/_head.html), for browsers that ignore the
    header and for the pages the device asks for next. A session that never had a sign-in (a password reset in
    progress) is left alone.

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
        wipe = None
        if unknown_session or (had_sign_in and not request.user.is_authenticated):
            # Deactivated: Django refuses the user but keeps the session; drop it so the cookie goes too.
            request.session.flush()
            ended = _("Your sign-in on this device has ended. Please log in again.")
            wipe = WIPE_ALL
        elif had_sign_in and session_idle_expired(request):
            session_end_idle(request)
            ended = _("You were signed out after a while without using the app. Please log in again.")
            wipe = WIPE_PAGES
        elif had_sign_in:
            session_seen(request)
        elif carried_cookie:
            # Signed out idle before, and since then signed out everywhere or deactivated: the rest goes now.
            wipe = idle_sign_out_wipe(request)
        if ended:
            # Before the view, so that the login page this request may show says it.
            messages.info(request, ended, fail_silently=True)
        # What a page for nobody tells the page script to wipe: all of it, unless the device is known to have
        # been signed out idle by a user who may still come back for their visits.
        request.offline_wipe = wipe or WIPE_ALL
        response = self.get_response(request)
        if wipe is None and had_sign_in and not request.user.is_authenticated:
            wipe = WIPE_ALL  # the view signed out: logging out here, or everywhere
        # Once per ending: a device told to keep its visits is not told again on each page that follows.
        if wipe == WIPE_ALL or ended:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA[wipe]
        return response
