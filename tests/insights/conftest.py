"""Keep your customers: one frozen moment and a few helpers for the At-risk and cadence tests."""

import datetime

from insights.at_risk import at_risk_customers, attach_reasons

# A Tuesday afternoon; every date in these tests is derived from it.
NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)


def days_ago(n: int, *, hours: int = 0) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n, hours=hours)


def reasons_by_name(user, **kwargs) -> dict[str, list[str]]:
    """{customer name: [reason text, ...]} for the At-risk rule as of NOW."""
    customers = attach_reasons(list(at_risk_customers(now=NOW, **kwargs)), now=NOW, user=user)
    return {c.name: [r.text for r in c.risk_reasons] for c in customers}

