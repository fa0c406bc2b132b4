"""How long a sign-in lasts: a working day of inactivity, or SESSION_COOKIE_AGE on a device the user keeps.

A phone gets lost while signed in. Unless the user ticked "keep me signed in on this device", the session ends
after SESSION_IDLE_TIMEOUT seconds without a request from the user, and its cookie expires with it.
"""

from django.conf import settings
from django.utils import timezone

KEEP_SIGNED_IN = "accounts.keep_signed_in"
LAST_SEEN = "accounts.last_seen"
# The last-seen time is written at most this often, so that a busy user does not cost a session write per page.
SEEN_RESOLUTION_SECONDS = 60
# The cookie and the stored session outlive the idle time by this much, so that it is the idle check that ends
# the session, and can say so on the login page.
IDLE_GRACE_SECONDS = 60 * 60
# Sent by the service worker when it saves cards in the background (static/offline/service-worker.js).
BACKGROUND_HEADER = "X-Offline-Precache"


def _now() -> float:
    return timezone.now().timestamp()


def session_start(request, *, keep_signed_in: bool) -> None:
    """Right after a login: how long this device stays signed in."""
    session = request.session
    session[LAST_SEEN] = _now()
    if keep_signed_in:
        session[KEEP_SIGNED_IN] = True
        session.set_expiry(settings.SESSION_COOKIE_AGE)
    else:
        session.pop(KEEP_SIGNED_IN, None)
        session.set_expiry(settings.SESSION_IDLE_TIMEOUT + IDLE_GRACE_SECONDS)


def on_user_logged_in(sender, request, user, **kwargs):
    # Every login starts idle-limited (a test's force_login included); the login page upgrades it when asked.
    if request is not None and hasattr(request, "session"):
        session_start(request, keep_signed_in=False)


def session_idle_expired(request) -> bool:
    session = request.session
    if session.get(KEEP_SIGNED_IN):
        return False
    last_seen = session.get(LAST_SEEN)
    # A session signed in before the idle timeout existed starts counting now.
    return last_seen is not None and _now() - last_seen > settings.SESSION_IDLE_TIMEOUT


def session_seen(request) -> None:
    """A request from the user: the idle time starts again (and the cookie's expiry moves with it)."""
    session = request.session
    if session.get(KEEP_SIGNED_IN) or BACKGROUND_HEADER in request.headers:
        return
    now = _now()
    if now - session.get(LAST_SEEN, 0) >= SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN] = now
        session.set_expiry(settings.SESSION_IDLE_TIMEOUT + IDLE_GRACE_SECONDS)
