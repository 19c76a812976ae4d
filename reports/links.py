"""Drill-down: the list behind each figure of reports.stats, as the URL of the page that shows it.
Applications go to the staff queue filtered like the cohort (unit, received in the period, state,
category, overdue); recognitions to the register (unit, active, category, exit reason and date)."""

import calendar
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from reports.stats import StatsScope


def _month_range(month: str, scope: StatsScope) -> tuple[date, date]:
    year, number = (int(part) for part in month.split("-"))
    first, last = date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    return max(first, scope.date_from), min(last, scope.date_to)


def queue_url(
    scope: StatsScope, *, state: str = "all", category: str = "", unit_code: str = "", overdue=False, month: str = ""
) -> str:
    """`state`: a state code, "all", "open" or "decided" (the queue's own filter values). "" for an
    administrator, whom the queue does not serve (they read cases in the admin): the number is not a link."""
    if not scope.user.is_staff_officer:
        return ""
    start, end = _month_range(month, scope) if month else (scope.date_from, scope.date_to)
    params = {"state": state, "received_from": start.isoformat(), "received_to": end.isoformat()}
    if unit := unit_code or (scope.unit.code if scope.unit else ""):
        params["unit"] = unit
    if category:
        params["category"] = category
    if overdue:
        params["overdue"] = "1"
    return f"{reverse('applications:queue')}?{urlencode(params)}"


def recognitions_url(scope: StatsScope, *, active: str = "true", category: str = "", unit_code="", reason="") -> str:
    params = {"active": active}
    if unit := unit_code or (scope.unit.code if scope.unit else ""):
        params["unit_code"] = unit
    if category:
        params["category"] = category
    if reason:
        params.update(reason=reason, ended_from=scope.date_from.isoformat(), ended_to=scope.date_to.isoformat())
    return f"{reverse('exits:register')}?{urlencode(params)}"
