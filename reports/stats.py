"""Oversight figures (DESIGN.md §11, API.md "Oversight"): what the dashboard, the stats API and the
drill-down links read, with a fixed number of queries whatever the data size. The country and a
province read the pre-aggregated counts of exits.tally (`Tallied`: a province of a million
applications is a few thousand rows), which every write keeps in its own transaction, so the figures
are exact, not "as of" a refresh; a prefecture and below are counted from their own rows (`Direct`:
conditional counts, GROUP BY the child unit's code prefix; the median of working days walks the
distinct (received, decided) date pairs, weighted by their counts). Both give the same figures
(tests/reports/test_tally.py).

Applications are counted as the cohort received in the period (`received_on` between `from` and `to`),
each in its state today, so every number is one list: the queue filtered by unit, period, state,
category or overdue. Recognitions: active today, those recognised in the period, and exits confirmed
in the period by reason.

A further block (e.g. outreach) is one more `Block` in BLOCKS: its totals, and optionally its counts
per child unit, are merged into the response."""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, DateField, Q, QuerySet, Sum, When
from django.db.models.functions import Cast, Substr, TruncMonth
from django.http import Http404
from django.utils import timezone

from accounts.models import Level, OrgUnit, User
from accounts.scoping import staff_prefix
from applications.access import applications_for_user
from applications.models import OPEN_STATES, Application, State
from eligibility import policies, workdays
from exits.access import recognitions_for_user
from exits.models import Tally
from outreach import selectors as outreach

# the significant prefix length of a unit's code -> that of its children, and their level (accounts.areas)
_CHILD = {0: 2, 2: 4, 4: 6, 6: 9, 9: 12}
_CHILD_LEVEL = {2: Level.PROVINCE, 4: Level.PREFECTURE, 6: Level.COUNTY, 9: Level.TOWNSHIP, 12: Level.COMMUNITY}
DECIDED = (State.APPROVED, State.REJECTED)


@dataclass(frozen=True)
class StatsScope:
    """Whose figures, for which period. `unit` None: the whole country (administrators only)."""

    user: User
    unit: OrgUnit | None
    date_from: date
    date_to: date
    today: date

    @property
    def prefix(self) -> str:
        return self.unit.prefix if self.unit else ""

    @property
    def child_length(self) -> int | None:
        return _CHILD.get(len(self.prefix))

    @property
    def policies(self) -> list:
        """The policies whose categories the figures are counted in: the scope's province's, or all."""
        chosen = [p for p in policies.POLICIES.values() if self.prefix[:2] in ("", p.province)]
        return chosen or list(policies.POLICIES.values())

    def category_labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for policy in self.policies:
            for rule in policy.categories:
                labels.setdefault(rule.code, rule.label)
        return labels


def stats_scope(*, user: User, unit_code: str = "", date_from: date | None = None, date_to: date | None = None):
    """The caller's own unit by default, this year to today. A unit outside the caller's scope, or
    unknown, is a 404 like any object out of scope; a period the wrong way round a 400."""
    prefix = staff_prefix(user)
    if prefix is None:
        raise Http404
    today = timezone.localdate()
    date_from = date_from or date(today.year, 1, 1)
    date_to = date_to or max(today, date_from)
    if date_from > date_to:
        raise ValidationError({"from": ["开始日期不能晚于结束日期。"]})
    if not unit_code:
        unit = user.unit if not user.is_admin else None
    else:
        unit = OrgUnit.objects.filter(code=unit_code).first()
        if unit is None or not unit.prefix.startswith(prefix):
            raise Http404
    return StatsScope(user=user, unit=unit, date_from=date_from, date_to=date_to, today=today)


# --- applications


def _cohort(scope: StatsScope) -> QuerySet[Application]:
    queryset = applications_for_user(scope.user).filter(received_on__range=(scope.date_from, scope.date_to))
    return queryset.filter(unit__code__startswith=scope.prefix) if scope.prefix else queryset


def _application_counts(scope: StatsScope) -> dict:
    counts = {
        "received": Count("id"),
        "overdue": Count("id", filter=Q(state__in=OPEN_STATES, stage_due_on__lt=scope.today)),
    }
    counts.update({f"state:{s}": Count("id", filter=Q(state=s)) for s in State.values})
    counts.update(
        {
            f"category:{code}": Count("id", filter=Q(categories__contains=f",{code},"))
            for code in scope.category_labels()
        }
    )
    return counts


def _application_figures(row: dict, median: float | None) -> dict:
    by_state = {s: row.get(f"state:{s}") or 0 for s in State.values}
    return {
        "received": row.get("received") or 0,
        "decided": sum(by_state[s] for s in DECIDED),
        "approved": by_state[State.APPROVED],
        "rejected": by_state[State.REJECTED],
        "withdrawn": by_state[State.WITHDRAWN],
        "open": sum(by_state[s] for s in OPEN_STATES),
        "overdue": row.get("overdue") or 0,
        "by_state": by_state,
        "by_category": {k.split(":", 1)[1]: v or 0 for k, v in row.items() if k.startswith("category:")},
        "median_working_days_to_decision": median,
    }


def _decision_days(scope: StatsScope) -> dict[str, list[tuple[int, int]]]:
    """(working days from receipt to decision, how many) per child prefix ("" for the whole scope);
    days are counted on each province's calendar (DESIGN.md §4), in (received, decided]."""
    child = scope.child_length
    pairs = list(
        _cohort(scope)
        .filter(state__in=DECIDED, decided_on__isnull=False)
        .values("received_on", "decided_on", province=Substr("unit_id", 1, 2), child=Substr("unit_id", 1, child or 2))
        .annotate(n=Count("id"))
        .order_by()
    )
    known = workdays.schedules()  # read even with no pairs, so the query count never depends on the data
    if not pairs:
        return {}
    start = min(p["received_on"] for p in pairs)
    end = max(p["decided_on"] for p in pairs)
    cumulative: dict[str, dict[date, int]] = {}
    for province in {p["province"] for p in pairs}:
        calendar, running, table = known.calendar(province), 0, {}
        day = start
        while day <= end:
            running += calendar.is_working_day(day) if workdays.in_range(day) else day.weekday() < 5
            table[day] = running
            day += timedelta(days=1)
        cumulative[province] = table
    days: dict[str, list[tuple[int, int]]] = {}
    for p in pairs:
        table = cumulative[p["province"]]
        n = table[p["decided_on"]] - table[p["received_on"]]
        days.setdefault("", []).append((n, p["n"]))
        if child:
            days.setdefault(p["child"], []).append((n, p["n"]))
    return days


def _weighted_median(values: list[tuple[int, int]]) -> float | None:
    """The median of values given with their counts (the middle one of the whole list, expanded)."""
    if not values:
        return None
    values = sorted(values)
    total = sum(n for _, n in values)
    middle = [(total - 1) // 2, total // 2]
    picked, seen = [], 0
    for value, n in values:
        while middle and middle[0] < seen + n:
            picked.append(value)
            middle.pop(0)
        seen += n
    return sum(picked) / 2


def applications_totals(scope: StatsScope, decision_days: dict) -> dict:
    row = _cohort(scope).aggregate(**_application_counts(scope))
    return _application_figures(row, _weighted_median(decision_days.get("", [])))


def applications_by_child(scope: StatsScope, decision_days: dict) -> dict[str, dict]:
    rows = (
        _cohort(scope)
        .annotate(child=Substr("unit_id", 1, scope.child_length))
        .values("child")
        .annotate(**_application_counts(scope))
        .order_by()
    )
    return {
        row["child"]: _application_figures(row, _weighted_median(decision_days.get(row["child"], []))) for row in rows
    }


def applications_by_month(scope: StatsScope) -> list[dict]:
    """Each month of the period: received, and what became of them (approved, rejected, withdrawn, open)."""
    rows = {
        row["month"]: row
        for row in _cohort(scope)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(**_application_counts(scope))
        .order_by()
    }
    return _months(scope, rows)


def _months(scope: StatsScope, rows: dict[date, dict]) -> list[dict]:
    months = []
    month = scope.date_from.replace(day=1)
    while month <= scope.date_to:
        figures = _application_figures(rows.get(month, {}), None)
        months.append(
            {
                "month": f"{month:%Y-%m}",
                **{k: figures[k] for k in ("received", "approved", "rejected", "withdrawn", "open")},
            }
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return months


# --- recognitions (DESIGN.md §7)


def _recognitions(scope: StatsScope):
    queryset = recognitions_for_user(scope.user)
    return queryset.filter(unit__code__startswith=scope.prefix) if scope.prefix else queryset


def recognitions_totals(scope: StatsScope) -> dict:
    queryset = _recognitions(scope)
    counts = {
        "n_active": Count("id", filter=Q(active=True)),
        "n_recognized": Count("id", filter=Q(recognized_on__range=(scope.date_from, scope.date_to))),
    }
    codes = list(scope.category_labels())
    counts.update(
        {f"category:{c}": Count("id", filter=Q(active=True, category_index__contains=f",{c},")) for c in codes}
    )
    row = queryset.aggregate(**counts)
    exits = (
        queryset.filter(active=False, ended_on__range=(scope.date_from, scope.date_to))
        .values("end_reason")
        .annotate(n=Count("id"))
        .order_by("end_reason")
    )
    return {
        "active": row["n_active"],
        "recognized": row["n_recognized"],
        "by_category": {code: row[f"category:{code}"] for code in codes},
        "exits_by_reason": {e["end_reason"]: e["n"] for e in exits},
    }


def recognitions_by_child(scope: StatsScope) -> dict[str, dict]:
    rows = (
        _recognitions(scope)
        .annotate(child=Substr("unit_id", 1, scope.child_length))
        .values("child")
        .annotate(n_active=Count("id", filter=Q(active=True)))
        .order_by()
    )
    return {row["child"]: {"recognitions_active": row["n_active"]} for row in rows}


class Direct:
    """A prefecture and below: counted from the applications and recognitions themselves, each
    figure aggregated in SQL (a county holds about a hundredth of a province)."""

    def __init__(self, scope: StatsScope):
        self.scope = scope
        self.decision_days = _decision_days(scope)

    def applications_totals(self) -> dict:
        return applications_totals(self.scope, self.decision_days)

    def applications_by_child(self) -> dict[str, dict]:
        return applications_by_child(self.scope, self.decision_days)

    def applications_by_month(self) -> list[dict]:
        return applications_by_month(self.scope)

    def recognitions_totals(self) -> dict:
        return recognitions_totals(self.scope)

    def recognitions_by_child(self) -> dict[str, dict]:
        return recognitions_by_child(self.scope)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _periods(date_from: date, date_to: date) -> Q:
    """The Tally rows of a period: its whole months by month, the days before and after them by day."""
    first = date_from if date_from.day == 1 else _next_month(date_from)
    stop = _next_month(date_to) if _next_month(date_to) - timedelta(days=1) == date_to else date_to.replace(day=1)
    if first >= stop:  # no whole month inside
        return Q(grain="d", period__range=(date_from, date_to))
    periods = Q(grain="m", period__gte=first, period__lt=stop)
    if date_from < first:
        periods |= Q(grain="d", period__gte=date_from, period__lt=first)
    if stop <= date_to:
        periods |= Q(grain="d", period__gte=stop, period__lte=date_to)
    return periods


# only the states are counted by month (by_month); a date, not a timestamp to convert
BY_MONTH = Case(When(measure__startswith="a:s:", then=Cast(TruncMonth("period"), DateField())), default=None)


class Tallied:
    """The country and a province: their children's rows of exits.tally (kept by every write, see
    applications.tally), in two queries of a few thousand rows whatever the number of applications:
    the counts, and the open applications by due date, summed where it is before today."""

    def __init__(self, scope: StatsScope):
        self.scope = scope
        codes = list(scope.category_labels())
        apps: dict[str, Counter] = defaultdict(Counter)
        months: dict[date, Counter] = defaultdict(Counter)
        self.days: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.recognitions: dict[str, Counter] = defaultdict(Counter)
        periods = _periods(scope.date_from, scope.date_to)
        rows = (
            Tally.objects.filter(Q(grain="t") | periods, scope=scope.prefix)
            .exclude(measure__startswith="a:o:")
            .annotate(month=BY_MONTH)
            .values("unit", "measure", "month")
            .annotate(n=Sum("n"))
            .order_by()
        )
        for row in rows:
            unit, n = row["unit"], row["n"]
            kind, _, rest = row["measure"].partition(":")
            what, _, value = rest.partition(":")
            if kind == "r":
                self.recognitions[unit][rest] += n
            elif what == "s":
                for counter in (apps[unit], months[row["month"]]):
                    counter["received"] += n
                    counter[f"state:{value}"] += n
            elif what == "c":
                apps[unit][f"category:{value}"] += n
            elif what == "d":
                self.days[unit].append((int(value), n))
        overdue = (  # "a:o:<due date>" of open applications, due before today (ISO dates sort as text)
            Tally.objects.filter(periods, scope=scope.prefix, measure__gte="a:o:", measure__lt=f"a:o:{scope.today}")
            .values("unit")
            .annotate(n=Sum("n"))
            .order_by()
        )
        for row in overdue:
            apps[row["unit"]]["overdue"] += row["n"]
        keys = ["received", "overdue", *(f"state:{s}" for s in State.values), *(f"category:{c}" for c in codes)]
        self.apps = {unit: {k: counts[k] for k in keys} for unit, counts in apps.items() if counts["received"]}
        self.totals = {k: sum(row[k] for row in self.apps.values()) for k in keys}
        self.months = dict(months)
        self.codes = codes

    def applications_totals(self) -> dict:
        return _application_figures(self.totals, _weighted_median([d for days in self.days.values() for d in days]))

    def applications_by_child(self) -> dict[str, dict]:
        return {unit: _application_figures(row, _weighted_median(self.days[unit])) for unit, row in self.apps.items()}

    def applications_by_month(self) -> list[dict]:
        return _months(self.scope, self.months)

    def recognitions_totals(self) -> dict:
        total = sum(self.recognitions.values(), Counter())
        exits = sorted((k[2:], n) for k, n in total.items() if k.startswith("x:") and n)
        return {
            "active": total["active"],
            "recognized": total["new"],
            "by_category": {code: total[f"c:{code}"] for code in self.codes},
            "exits_by_reason": dict(exits),
        }

    def recognitions_by_child(self) -> dict[str, dict]:
        return {
            unit: {"recognitions_active": counts["active"]}
            for unit, counts in self.recognitions.items()
            if counts["all"]
        }


TALLIED = (0, 2)  # the lengths of the scope prefixes whose figures read exits.tally: the country, a province


def figures_source(scope: StatsScope) -> Direct | Tallied:
    return Tallied(scope) if len(scope.prefix) in TALLIED else Direct(scope)


@dataclass(frozen=True)
class Block:
    """One part of the response: its totals under `name`, and per child unit what it adds to each row."""

    name: str
    totals: Callable[[StatsScope, Direct | Tallied], dict]
    by_child: Callable[[StatsScope, Direct | Tallied], dict[str, dict]] | None = None
    child_defaults: dict | None = None  # what a child unit with no rows shows


# --- outreach (新人社规〔2025〕1号 第十三条): persons pushed into the scope in the period, and what became of them


def _pushed(scope: StatsScope):
    return outreach.pushed_into(user=scope.user, prefix=scope.prefix, date_from=scope.date_from, date_to=scope.date_to)


def outreach_totals(scope: StatsScope) -> dict:
    return _pushed(scope).aggregate(**outreach.conversion_counts())


def outreach_by_child(scope: StatsScope) -> dict[str, dict]:
    rows = (
        _pushed(scope)
        .annotate(child=Substr("unit_id", 1, scope.child_length))
        .values("child")
        .annotate(**outreach.conversion_counts())
        .order_by()
    )
    return {row["child"]: {f"outreach_{k}": row[k] for k in outreach.FIGURES} for row in rows}


BLOCKS: list[Block] = [
    Block(
        "applications",
        lambda scope, source: source.applications_totals(),
        lambda scope, source: source.applications_by_child(),
        _application_figures({}, None),
    ),
    Block(
        "recognitions",
        lambda scope, source: source.recognitions_totals(),
        lambda scope, source: source.recognitions_by_child(),
        {"recognitions_active": 0},
    ),
    Block(
        "outreach",
        lambda scope, _: outreach_totals(scope),
        lambda scope, _: outreach_by_child(scope),
        {f"outreach_{k}": 0 for k in outreach.FIGURES},
    ),
]


def _children(scope: StatsScope) -> list[OrgUnit]:
    length = scope.child_length
    return list(OrgUnit.objects.filter(code__startswith=scope.prefix, level=_CHILD_LEVEL[length]).only("code", "name"))


def stats(scope: StatsScope, source: Direct | Tallied | None = None) -> dict:
    """The whole response of GET /api/v1/stats/ (API.md "Oversight"). `source`: where the figures
    are read, by default the tally for the country and a province (figures_source)."""
    source = source or figures_source(scope)
    result = {
        "unit_code": scope.unit.code if scope.unit else "",
        "unit_name": scope.unit.name if scope.unit else "全国",
        "from": scope.date_from.isoformat(),
        "to": scope.date_to.isoformat(),
        "category_labels": scope.category_labels(),
    }
    for block in BLOCKS:
        result[block.name] = block.totals(scope, source)
    result["by_month"] = source.applications_by_month()
    rows = []
    if scope.child_length:
        merged: dict[str, dict] = {}
        for block in BLOCKS:
            if block.by_child:
                for child, figures in block.by_child(scope, source).items():
                    merged.setdefault(child, {}).update(figures)
        units = {unit.prefix: unit for unit in _children(scope)}
        empty = {k: v for block in BLOCKS for k, v in (block.child_defaults or {}).items()}
        for child in sorted(set(units) | set(merged)):
            unit = units.get(child)
            code = unit.code if unit else child.ljust(12, "0")
            rows.append({"unit_code": code, "name": unit.name if unit else code, **empty, **merged.get(child, {})})
    result["by_child_unit"] = rows
    return result
