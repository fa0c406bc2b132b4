"""The owner's writes on the team: invite a worker, hand a leaver's work on, lift a login lockout."""

import re
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FIELD_WORKER_GROUP, OWNER_GROUP
from accounts.services import user_group_add, user_sign_out_everywhere
from customers.models import Customer
from followups.models import FollowUp

from .selectors import email_in_use
from .tasks import invite_send

# Rows changed per UPDATE: keeps each statement's parameter list within what every database accepts.
REASSIGN_BATCH = 500


def _free_username(email: str) -> str:
    """The address itself as the sign-in name (what people remember), made valid and unique."""
    User = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.lower())[:140] or "worker"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def worker_invite(*, first_name: str, last_name: str = "", email: str, group_name: str, invited_by):
    """A new person with no password yet, emailed a link to choose one (queued once the row is committed).

    Raises ValidationError on the email field when the address already belongs to someone.
    """
    if group_name not in (FIELD_WORKER_GROUP, OWNER_GROUP):
        raise ValueError(f"Unknown role {group_name!r}")
    email = get_user_model().objects.normalize_email(email.strip())
    if email_in_use(email):
        raise ValidationError({"email": _("Someone on the team already uses this address.")})
    user = get_user_model()(
        username=_free_username(email),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        # The business works in one place: the inviting owner's zone is a better guess than the server's.
        time_zone=invited_by.time_zone,
        is_staff=group_name == OWNER_GROUP,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user_group_add(user=user, group_name=group_name)
    invite_send.delay_on_commit(user.pk, invited_by.pk)
    return user


def invite_resend(*, user, invited_by) -> None:
    """Another "choose your password" email for someone who has not chosen one yet."""
    invite_send.delay_on_commit(user.pk, invited_by.pk)


@dataclass(frozen=True)
class Handover:
    followups: int
    customers: int


def _reassign(rows: QuerySet, *, to, reason: str, changed_by, now) -> int:
    """Moves `rows` (a FollowUp or Customer queryset) to `to`, writing each row's history in bulk.

    A row with no history yet (made before history was kept, or by bulk_create as the demo data is) first gets
    one entry with its old assignee, so its history shows who had it before.
    """
    model = rows.model
    history = model.history
    locked = list(
        rows.select_for_update().annotate(has_history=Exists(history.filter(id=OuterRef("pk")))).order_by("pk")
    )
    if not locked:
        return 0
    untracked = [row for row in locked if not row.has_history]
    if untracked:
        history.bulk_history_create(
            untracked, update=True, default_change_reason=_("As it was before the reassignment"), default_date=now
        )
    pks = [row.pk for row in locked]
    for start in range(0, len(pks), REASSIGN_BATCH):
        # The version moves too, so an edit form opened before the handover notices it.
        model.objects.filter(pk__in=pks[start:start + REASSIGN_BATCH]).update(
            assigned_to=to, updated_at=now, version=F("version") + 1
        )
    for row in locked:
        row.assigned_to = to
        row.updated_at = now
    history.bulk_history_create(
        locked, update=True, default_user=changed_by, default_change_reason=reason, default_date=now
    )
    return len(locked)


@transaction.atomic
def user_deactivate(*, user, successor, changed_by) -> Handover:
    """Takes a leaver's access away and hands their open follow-ups and their customers to `successor`.

    The sign-in stops at their next request: Django's ModelBackend refuses an inactive user, and every session
    they had, on every device, is ended as "sign out everywhere" ends it. (Revoke their API tokens here once
    tokens exist.)
    Follow-ups already done keep their assignee: that is who did them.
    """
    if user.pk == changed_by.pk:
        raise ValidationError(_("You cannot deactivate yourself: nobody would be left to run the team."))
    if successor.pk == user.pk or not successor.is_active:
        raise ValidationError({"successor": _("Choose someone who is still on the team.")})
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return Handover(followups=0, customers=0)
    now = timezone.now()
    reason = _("Reassigned from %(name)s when they left") % {"name": user}
    handover = Handover(
        followups=_reassign(
            FollowUp.objects.open().filter(assigned_to=user), to=successor, reason=reason, changed_by=changed_by,
            now=now,
        ),
        customers=_reassign(
            Customer.objects.filter(assigned_to=user), to=successor, reason=reason, changed_by=changed_by, now=now
        ),
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    # A lost phone's session must not come back to life if they are reactivated one day.
    user_sign_out_everywhere(user=user)
    return handover


@transaction.atomic
def user_reactivate(*, user) -> None:
    """They can sign in again with their old password; the work handed on stays where it went."""
    get_user_model().objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True


def lockout_lift(*, username: str, ip_address: str) -> int:
    """Forgets the failed sign-ins of this account from this address, so it may sign in at once.

    Deletes exactly the pair's rows (axes.utils.reset would widen an empty username to the whole address).
    Returns how many rows went.
    """
    attempts = AccessAttempt.objects.filter(ip_address=ip_address or None)
    attempts = attempts.filter(username=username) if username else attempts.filter(Q(username="") | Q(username=None))
    return attempts.delete()[0]
