"""What mail shows on Today (core.registries.today_sections): the owner's "mail is failing since …"."""

from django.utils import timezone

from .selectors import mail_failing


def today_context(*, user, today, request) -> dict:
    """For the owner only: no query for anyone else (is_owner is cached on the user), one for the owner."""
    if not user.is_owner:
        return {}
    return {"failing": mail_failing(now=timezone.now())}
