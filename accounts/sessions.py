"""How long a sign-in lasts: a working day of inactivity, or SESSION_COOKIE_AGE on a device the user keeps; and how
much of its offline copy a device drops when its sign-in is over.

A phone gets lost while signed in. Unless the user ticked "keep me signed in on this device", the session ends
after SESSION_IDLE_TIMEOUT seconds without a request from the user.

Why it ended decides the wipe. Signed out here or everywhere, deactivated, or a session the server no longer
knows: everything the phone keeps goes (WIPE_ALL). Idle too long: only the customer pages kept for reading go
(WIPE_PAGES); the visits logged offline and not yet sent stay for their author's next sign-in, because nothing
the user typed may be lost to a timeout.
"""

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.utils import timezone
from django.utils.crypto import salted_hmac

KEEP_SIGNED_IN = "accounts.keep_signed_in"
LAST_SEEN = "accounts.last_seen"
# Whose sign-in ended idle on this device, kept in the anonymous session that follows it.
IDLE_SIGN_OUT = "accounts.idle_sign_out"
# The last-seen time is written at most this often, so that a busy user does not cost a session write per page.
SEEN_RESOLUTION_SECONDS = 60
# How much of its offline copy a device drops (the page script reads it from templates/offline/_head.html).
WIPE_ALL = "all"
WIPE_PAGES = "pages"
# Sent by the service worker when it saves cards in the background (static/offline/service-worker.js).
BACKGROUND_HEADER = "X-Offline-Precache"


def _now() -> float:
    return timezone.now().timestamp()


def idle_session_age() -> int:
    """How long the cookie and the stored session of an idle-limited sign-in last: far past the idle time, so that
    when the phone comes back (the next morning, after a weekend) it is the idle check that ends the session and
    the server still knows why, and tells the phone to keep the visits it has not sent. A cookie past its idle time
    signs nobody in: the check refuses it."""
    return max(settings.SESSION_COOKIE_AGE, settings.SESSION_IDLE_TIMEOUT + 60 * 60)


def session_start(request, *, keep_signed_in: bool) -> None:
    """Right after a login: how long this device stays signed in."""
    session = request.session
    session[LAST_SEEN] = _now()
    session.pop(IDLE_SIGN_OUT, None)
    if keep_signed_in:
        session[KEEP_SIGNED_IN] = True
        session.set_expiry(settings.SESSION_COOKIE_AGE)
    else:
        session.pop(KEEP_SIGNED_IN, None)
        session.set_expiry(idle_session_age())


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
        session.set_expiry(idle_session_age())


def _sign_ins_mark(user) -> str:
    # Changes when the user signs out everywhere (which deactivating does too); a password reset leaves it, so a
    # worker who forgot the password the next morning still gets their visits sent. Hashed: the token is a secret.
    return salted_hmac("accounts.sessions.idle_sign_out", user.session_token).hexdigest()


def session_end_idle(request) -> None:
    """Signs out a session left idle, and remembers whose it was for the pages this device asks for next."""
    user = request.user
    logout(request)
    request.session[IDLE_SIGN_OUT] = {"user": user.pk, "mark": _sign_ins_mark(user)}


def idle_sign_out_wipe(request) -> str | None:
    """For a device whose last sign-in ended idle: WIPE_PAGES while its user may still come back for the visits it
    keeps, WIPE_ALL (once) when that user has since been signed out everywhere or deactivated; None for any other."""
    remembered = request.session.get(IDLE_SIGN_OUT)
    if not isinstance(remembered, dict):
        return None
    user = get_user_model().objects.filter(pk=remembered.get("user"), is_active=True).only("session_token").first()
    if user is not None and _sign_ins_mark(user) == remembered.get("mark"):
        return WIPE_PAGES
    del request.session[IDLE_SIGN_OUT]
    return WIPE_ALL
