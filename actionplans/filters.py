"""The plans list's filters, read from the query string."""

import django_filters

from .models import ActionPlan


class PlanFilter(django_filters.FilterSet):
    """?status=<one of ActionPlan.Status>; an unknown status is not an error: it lists every plan."""

    status = django_filters.ChoiceFilter(choices=ActionPlan.Status.choices)

    class Meta:
        model = ActionPlan
        fields = ["status"]
