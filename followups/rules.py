"""Who may do what with a follow-up: decided here once, for the views, the offline sync and the API.

A small team covers for each other: anyone may complete a colleague's follow-up, call once more or reopen it.
Changing what it is, when, or whose it is stays with its assignee and the owner. Every change is in its history
(django-simple-history), with who made it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import FollowUp
from .selectors import followup_get


def can_view(user, followup: FollowUp) -> bool:
    return bool(user.is_active)


def can_complete(user, followup: FollowUp) -> bool:
    """Mark it done, call once more (reschedule), or reopen it."""
    return can_view(user, followup)


def can_edit(user, followup: FollowUp) -> bool:
    """Change what, when or whose it is (reassigning included)."""
    # The assignee first: it costs no query, where is_owner reads the user's groups.
    return bool(followup.assigned_to_id == user.pk or user.is_owner)


ACTIONS = {"complete": can_complete, "edit": can_edit}


def get_followup_for_user(user, pk: int, *, action: str) -> FollowUp:
    """The follow-up, with its customer, if `user` may do `action` ("complete" or "edit") on it: 404 when there is
    none, 403 when it is not theirs to change. Every view about one follow-up fetches it through here."""
    followup = followup_get(pk=pk)
    if followup is None:
        raise Http404
    if not ACTIONS[action](user, followup):
        raise PermissionDenied
    return followup
