"""The At-risk list: active customers slipping away, each with why and one click to call. For everyone
signed in; it shows no money (a refund is named by its date only)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.forms import parse_id

from . import at_risk
from .kept import kept

MAX_PAGE = 100_000


@require_GET
def at_risk_list(request):
    scope = request.GET.get("scope")
    if scope not in (at_risk.MINE, at_risk.EVERYONE):
        scope = at_risk.default_scope(request.user)
    # Bounded so the offset stays a number the database takes; pages that far out are empty anyway.
    page = min(parse_id(request.GET.get("page")) or 1, MAX_PAGE)
    per_page = at_risk.PAGE_SIZE

    def compute():
        now = timezone.now()
        customers = at_risk.scoped_at_risk(user=request.user, scope=scope, now=now)
        items, total = at_risk.first_with_total(customers, limit=per_page, offset=(page - 1) * per_page)
        at_risk.attach_reasons(items, now=now, user=request.user)
        return items, total

    found = kept(f"at-risk-list:{request.user.pk}:{scope}:{page}", compute)
    items, total = found["value"]
    pages = max(1, -(-total // per_page))
    return render(request, "insights/at_risk.html", {
        "items": items,
        "total": total,
        "computed_at": found["computed_at"],
        "scope": scope,
        "page": page,
        "pages": pages,
        "first_number": (page - 1) * per_page + 1,
        "last_number": (page - 1) * per_page + len(items),
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
    })
