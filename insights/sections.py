"""What Keep-your-customers contributes to the customer card, the top of Today and the weekly email
(core.registries, registered in insights.apps)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.timezones import user_time_zone
from core.lists import LIST_LIMIT
from customers.models import Customer

from . import at_risk
from .kept import kept


def card_context(*, customer, request) -> dict:
    """"Last contact 47 days ago — due every 30". One query: the cadence and the last contact together."""
    now = timezone.now()
    row = (
        Customer.objects.filter(pk=customer.pk)
        .annotate(cadence=at_risk.cadence_expression(), last_contact=at_risk.last_contact_expression())
        .values("cadence", "last_contact")
        .first()
    )
    if row is None:  # deleted between the card's own read and this one
        return {}
    tz = user_time_zone(request.user)
    today = timezone.localtime(now, tz).date()
    since = row["last_contact"] or customer.created_at
    due_at = since + datetime.timedelta(days=row["cadence"])
    days = at_risk.days_since(row["last_contact"], today=today, tz=tz) if row["last_contact"] else None
    return {
        "customer": customer,
        "cadence": row["cadence"],
        "last_contact": row["last_contact"],
        "days_ago": at_risk.days_ago_text(days) if days is not None else "",
        # Only an active customer is expected to hear from us: a lost one is not "past due".
        "past_due": customer.status == Customer.Status.ACTIVE and due_at < now,
    }


def today_context(*, user, today, request) -> dict:
    """"Call once more" at the top of Today: the first few at-risk customers of this user's default list.
    One query (the total rides on the rows)."""
    scope = at_risk.default_scope(user)

    def compute():
        now = timezone.now()
        customers = at_risk.scoped_at_risk(user=user, scope=scope, now=now)
        items, count = at_risk.first_with_total(customers, limit=at_risk.TODAY_SIZE)
        at_risk.attach_reasons(items, now=now, user=user)
        return items, count

    # Over a whole book the rule reads every active customer: Today must not pay for it on every load.
    found = kept(f"at-risk-today:{user.pk}:{scope}", compute)
    items, count = found["value"]
    # Shown above the follow-up lists (templates/today/today.html places sections marked "top" there).
    return {"top": True, "items": items, "count": count, "more": count - len(items), "scope": scope,
            "computed_at": found["computed_at"]}


def digest_context(*, user, today, now) -> dict:
    """The weekly email's At-risk section: the customers this user looks after (and, for the owner, the
    unassigned ones nobody looks after), with why. One query."""
    customers = at_risk.at_risk_customers(now=now, assigned_to=user, with_unassigned=user.is_owner)
    items, count = at_risk.first_with_total(customers, limit=LIST_LIMIT)
    at_risk.attach_reasons(items, now=now, user=user)
    return {
        "count": count,
        "items": items,
        "more": count - len(items),
        "list_url": settings.SITE_URL + reverse("insights:at_risk"),
        "site_url": settings.SITE_URL,
    }
