"""Rights that do not depend on an object: owner-only pages."""

from django.core.exceptions import PermissionDenied


def require_owner(request) -> None:
    """Administration and money are the owner's: anyone else gets 403."""
    if not request.user.is_owner:
        raise PermissionDenied
