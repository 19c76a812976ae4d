"""What an application counts as in the dashboard's pre-aggregated counts (exits.tally, issue 13):
the cohort received on its day, in its state, in each of its categories, while open its stage's
due date (overdue is then read as "due before today", so it follows the date without a write), and
once decided the working days it took. application_create, application_edit, application_transition
and recompute_deadline move it in their own transaction, so the figures equal the queue's lists at
every moment."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from applications.models import OPEN_STATES, Application, State
from eligibility import workdays
from exits.models import Tally
from exits.tally import LEVELS, Counted, tally_replace

DECIDED = (State.APPROVED, State.REJECTED)


def decision_days(calendar: workdays.WorkingCalendar, received_on: date, decided_on: date) -> int:
    """Working days in (received, decided] on the province's calendar (DESIGN.md §4); Monday to
    Friday outside the years the calendar knows."""
    low, high, sign = (received_on, decided_on, 1) if received_on <= decided_on else (decided_on, received_on, -1)
    return sign * sum(_working(calendar, low + timedelta(days=i)) for i in range(1, (high - low).days + 1))


def _working(calendar: workdays.WorkingCalendar, day: date) -> bool:
    return calendar.is_working_day(day) if workdays.in_range(day) else day.weekday() < 5


class _Running:
    """decision_days over many pairs of one calendar (a rebuild: tens of thousands), as the difference of
    the working days counted from a first day to each day, each day's count computed once."""

    def __init__(self, calendar: workdays.WorkingCalendar):
        self.calendar, self.first, self.counts = calendar, None, [0]

    def __call__(self, received_on: date, decided_on: date) -> int:
        low = min(received_on, decided_on)
        if self.first is None or low < self.first:  # start again earlier (a rebuild's days come in no order)
            self.first, self.counts = low - timedelta(days=30), [0]
        return self._upto(decided_on) - self._upto(received_on)

    def _upto(self, day: date) -> int:
        """Working days in (first, day]."""
        for i in range(len(self.counts), (day - self.first).days + 1):
            self.counts.append(self.counts[-1] + _working(self.calendar, self.first + timedelta(days=i)))
        return self.counts[(day - self.first).days]


def application_counts(application: Application, calendar: workdays.WorkingCalendar | None = None) -> list[Counted]:
    """`calendar`: the application's province's, when the caller has it (a decision needs it)."""
    unit, received = application.unit_id, application.received_on
    items = [Counted(unit, received, f"a:s:{application.state}")]
    items += [Counted(unit, received, f"a:c:{code}") for code in application.category_codes]
    if application.state in OPEN_STATES and application.stage_due_on:
        items.append(Counted(unit, received, f"a:o:{application.stage_due_on.isoformat()}"))
    if application.state in DECIDED and application.decided_on:
        days = decision_days(calendar or workdays.load(unit), received, application.decided_on)
        items.append(Counted(unit, received, f"a:d:{days}"))
    return items


def applications_rebuild() -> int:
    """The applications' rows from the applications themselves (after a bulk load, or a calendar change)."""
    known = workdays.schedules()
    counters: dict[str, _Running] = {}
    grouped = (
        Application.objects.annotate(prefix=Substr("unit_id", 1, LEVELS[-1][0]))
        .values("prefix", "received_on", "state", "categories", "stage_due_on", "decided_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    items = []
    for row in grouped.iterator(chunk_size=5000):
        unit, received, n = row["prefix"], row["received_on"], row["n"]
        items.append((Counted(unit, received, f"a:s:{row['state']}"), n))
        items += [(Counted(unit, received, f"a:c:{code}"), n) for code in row["categories"].split(",") if code]
        if row["state"] in OPEN_STATES and row["stage_due_on"]:
            items.append((Counted(unit, received, f"a:o:{row['stage_due_on'].isoformat()}"), n))
        if row["state"] in DECIDED and row["decided_on"]:
            if unit[:2] not in counters:
                counters[unit[:2]] = _Running(known.calendar(unit[:2]))
            items.append((Counted(unit, received, f"a:d:{counters[unit[:2]](received, row['decided_on'])}"), n))
    return tally_replace(kind="a:", items=items)


def counted_in_states(prefix: str, states: Iterable[str]) -> int | None:
    """How many applications of the units under `prefix` are in `states` now, read from the tally: each
    case is counted under the month it was received in, in its state as it is now, so the months' rows
    add up to the list's count. A province's 2 or a prefecture's 4 digits; None for another prefix (the
    tally keeps no county or below: their lists are counted from their rows)."""
    parent = dict(LEVELS).get(len(prefix))
    if parent is None:
        return None
    rows = Tally.objects.filter(scope=prefix[:parent], grain="m", unit=prefix, measure__in=[f"a:s:{s}" for s in states])
    return rows.aggregate(n=Sum("n"))["n"] or 0
