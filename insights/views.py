"""The Insights page and the CSV of each of its tables. Everyone signed in; the money is the owner's only."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.timezones import user_time_zone

from .exports import table_csv
from .forms import InsightsForm
from .kept import kept
from .page import MONEY_TABLES, TABLES, Insights


def _form(request) -> InsightsForm:
    # With no period asked for, the picker shows the one the page uses: the last 90 days.
    data = request.GET.copy()
    data.setdefault("period", "90")
    return InsightsForm(data)


def _insights_for(request, form: InsightsForm) -> Insights:
    # The viewer's own zone: hours, weekdays, months and "the last 90 days" as they live them.
    tz = user_time_zone(request.user)
    return Insights(period=form.period_in(tz), member=form.member_chosen(), tz=tz, owner=request.user.is_owner)


def _blocks(insights: Insights) -> dict:
    """The blocks and when they were computed, kept INSIGHTS_CACHE_SECONDS for the same period, member, zone and
    role: over a year of a busy business they take seconds to compute, and they change slowly."""
    period = insights.period
    key = ":".join(["insights-blocks", period.first_day.isoformat(), period.last_day.isoformat(),
                    str(insights.member.pk if insights.member else ""), str(insights.tz), str(insights.owner)])
    return kept(key, insights.blocks)


@require_GET
def insights_page(request):
    form = _form(request)
    insights = _insights_for(request, form)
    query = request.GET.urlencode()
    found = _blocks(insights)
    return render(request, "insights/insights.html", {
        "form": form, "period": insights.period, "member": insights.member, "blocks": found["value"],
        "computed_at": found["computed_at"], "query": query, "at_risk_url": reverse("insights:at_risk"),
    })


@require_GET
def insights_csv(request, table: str):
    if table not in TABLES:
        raise Http404
    if table in MONEY_TABLES and not request.user.is_owner:
        raise PermissionDenied
    form = _form(request)
    insights = _insights_for(request, form)
    found = insights.table(table)
    period = insights.period
    response = HttpResponse(table_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="insights-{table}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv"')
    return response
