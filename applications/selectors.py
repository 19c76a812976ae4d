"""Reads of application lists (HackSoft selectors): the staff queue, the API list and the exports
filter and order through `application_queue`, always inside the one gate
(`access.applications_for_user`), so a list never shows what its user may not open."""

import re
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import connections
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan  # row comparisons
from django.db.models.lookups import Range
from django.utils import timezone

from accounts import areas
from accounts.models import Role, User
from accounts.scoping import staff_prefix
from applications import tally
from applications.access import applications_for_user
from applications.models import OPEN_STATES, STATE_RANK, Application, State
from config.pagination import Cursor, SeekPage

# What the handling unit (community, or a township that receives directly) works on before the
# township review (第七条–第九条).
HANDLING_STATES = (
    State.SUBMITTED,
    State.AWAITING_MATERIALS,
    State.INITIAL_REVIEW,
    State.PENDING_NOTICE,
    State.PUBLIC_NOTICE,
)

# What the queue's state filter offers besides one state (the dashboard links to both).
STATE_GROUPS = {"open": tuple(OPEN_STATES), "decided": (State.APPROVED, State.REJECTED)}

RANKS = {state.value: i for i, state in enumerate(State)}


@dataclass(frozen=True)
class Sort:
    """A list order: one key, then the primary key in the same direction, so a page boundary is a
    row's (key, id) and a page seeks past it (issue 13)."""

    field: str  # a column, or "state" (ranked by STATE_RANK)
    descending: bool = False
    nullable: bool = False  # rows without a value come last in ascending order, first in descending

    def key(self):
        return STATE_RANK if self.field == "state" else F(self.field)

    def ordering(self, ascending: bool) -> tuple:
        key = self.key()
        if ascending:
            return (key.asc(nulls_last=True) if self.nullable else key.asc(), "id")
        return (key.desc(nulls_first=True) if self.nullable else key.desc(), "-id")

    def value_of(self, application: Application) -> str | int | None:
        if self.field == "state":
            return RANKS[application.state]
        value = getattr(application, self.field)
        return value.isoformat() if value is not None else None

    def parse(self, value):
        """A cursor's value back as the key's type; ValueError when it is not one."""
        if value is None and self.nullable:
            return None
        if self.field == "state" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if self.field != "state" and isinstance(value, str):
            return date.fromisoformat(value)
        raise ValueError(value)


SORTS = {
    "due": Sort("stage_due_on", nullable=True),
    "-due": Sort("stage_due_on", descending=True, nullable=True),
    "received": Sort("received_on"),
    "-received": Sort("received_on", descending=True),
    "state": Sort("state"),
}

LIST_DEFERRED = ("facts", "eligibility", "missing_materials")
# A row shows the unit's name; the person's name and number are the case's own copies (issue 13: each
# join less is planning time less on every page, ~0.9 → 0.5 ms for the handling unit's).
LIST_RELATED = ("unit",)
ID_PREFIX = re.compile(r"^[0-9]{1,17}[0-9Xx]?$")


@dataclass(frozen=True)
class QueueFilters:
    """Every filter a list of applications offers; the defaults filter nothing."""

    todo: bool = False  # the user's role's to-do list (`actionable`)
    states: tuple[str, ...] = ()  # empty: every state
    category: str = ""  # a category code
    unit_prefix: str = ""  # a unit code or its significant prefix (e.g. 650102 or 650102000000)
    overdue: bool = False  # the current stage's due date has passed
    received_from: date | None = None
    received_to: date | None = None  # inclusive
    q: str = ""  # an ID-number prefix (digits), otherwise the start of the name (issue 13)
    sort: str = "due"  # a key of SORTS

    @property
    def name(self) -> str:
        """The start of a name searched for; "" when `q` is empty or (the start of) an ID number."""
        q = self.q.strip()
        return "" if ID_PREFIX.match(q) else q


def actionable(queryset: QuerySet[Application], user: User) -> QuerySet[Application]:
    """A role's to-do list: what waits for it at its level (DESIGN.md §5)."""
    if user.role == Role.COMMUNITY:
        return queryset.filter(handling_unit=user.unit, state__in=HANDLING_STATES)
    if user.role == Role.TOWNSHIP:
        return queryset.filter(Q(state=State.TOWNSHIP_REVIEW) | Q(handling_unit=user.unit, state__in=HANDLING_STATES))
    if user.role == Role.COUNTY:
        return queryset.filter(state=State.COUNTY_REVIEW)
    return queryset.filter(state__in=OPEN_STATES)


def application_queue(*, user: User, filters: QueueFilters) -> QuerySet[Application]:
    """The applications `user` may see that match `filters`, in the order asked, applicant and
    units joined (one query per page), without the JSON columns (LIST_DEFERRED: `.defer(None)`
    where an export needs them)."""
    queryset = applications_for_user(user)
    if filters.todo:
        queryset = actionable(queryset, user)
    if filters.states:
        queryset = queryset.filter(state__in=filters.states)
        if filters.sort == "state":  # the ranks' range: the state order's index starts at the first of them
            ranks = [RANKS[state] for state in filters.states if state in RANKS] or [-1]
            queryset = queryset.filter(Range(STATE_RANK, (min(ranks), max(ranks))))
    if filters.category:
        queryset = queryset.filter(categories__contains=f",{filters.category},")
    if prefix := _unit_prefix(filters.unit_prefix):
        queryset = queryset.filter(unit__code__startswith=prefix)
    if filters.overdue:
        queryset = queryset.filter(stage_due_on__lt=timezone.localdate())
    if filters.received_from:
        queryset = queryset.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_on__lte=filters.received_to)
    # the case's copies of the applicant's number and name (issue 13): index app_search_number / _name
    if name := filters.name:  # a name from its first character (a surname, or more): a range of the index
        queryset = queryset.filter(applicant_name__startswith=name)
    elif len(q := filters.q.strip()) == 18:  # a full number
        queryset = queryset.filter(applicant_id_number=q.upper())
    elif q:  # its first digits
        queryset = queryset.filter(applicant_id_number__startswith=q.upper())
    # Lists show no facts or evaluation: rows stay narrow when sorted (issue 13).
    sort = SORTS.get(filters.sort, SORTS["due"])
    return queryset.defer(*LIST_DEFERRED).order_by(*sort.ordering(not sort.descending))


def _unit_prefix(unit: str) -> str:
    """The code prefix a unit filter means: a 12-digit code by its level's prefix (650102001010 is one
    community, not 65010200101x), anything else without its trailing zeros."""
    return areas.prefix(unit) if areas.is_valid(unit) else unit.rstrip("0") or unit


def known_count(*, user: User, filters: QueueFilters) -> int | None:
    """The exact count of application_queue(user, filters) from the tally (applications.tally) where it keeps
    one: a province's or a prefecture's list filtered by state at most. A province's list of a state holds
    tens of thousands of cases that counting would read through on every page (issue 13); the tally has the
    figure, exact, in a few dozen rows. None otherwise: the caller counts the rows."""
    others = (filters.todo, filters.category, filters.overdue, filters.received_from, filters.received_to, filters.q)
    if any(others) or (prefix := staff_prefix(user)) is None:
        return None
    if unit := _unit_prefix(filters.unit_prefix):  # as application_queue narrows it: within the scope, or nothing
        if not unit.startswith(prefix):
            return None
        prefix = unit
    return tally.counted_in_states(prefix, filters.states or State.values)


def queue_page(
    queryset: QuerySet[Application],
    *,
    sort: str,
    cursor: Cursor | None,
    size: int,
    name: str = "",
) -> SeekPage:
    """One page of `queryset` (from application_queue) in the order `sort`, after or before `cursor`
    (None: the first page). It seeks: `(key, id) > (value, id)` reads on from the cursor's row in an
    index in that order, so a deep page costs what page 1 costs (issue 13). One query per page; a
    page that crosses from dated rows to undated ones (a deadline order) reads those with a second.
    ValueError for a cursor whose value is not of the order's key. `name`: the name searched for
    (QueueFilters.name), if any."""
    spec = SORTS.get(sort, SORTS["due"])
    forward = cursor is None or cursor.forward
    ascending = spec.descending != forward  # the direction the rows are read in
    queryset = queryset.order_by(*spec.ordering(ascending))
    read = partial(_read, name=name if spec.field == "stage_due_on" else "")
    if cursor is None:
        rows = read(queryset, size + 1)
    else:
        rows = _seek(queryset, spec, ascending, spec.parse(cursor.value), cursor.id, size + 1, read)
    more, rows = len(rows) > size, rows[:size]
    if not forward:
        rows.reverse()
    after = Cursor(spec.value_of(rows[-1]), rows[-1].pk) if rows else None
    before = Cursor(spec.value_of(rows[0]), rows[0].pk, forward=False) if rows else None
    if forward:
        return SeekPage(rows, next=after if more else None, previous=before if cursor else None)
    return SeekPage(rows, next=after, previous=before if more else None)


def _read(queryset: QuerySet[Application], limit: int, name: str) -> list[Application]:
    """The first `limit` rows of `queryset` (from application_queue): their ids first, in a subquery that
    an index holding the filters and the order answers without the table (a search's matches, a to-do's
    states: sorted in the index), then only those rows, with their unit (LIST_RELATED, issue 13). The
    outer query repeats no filter, so the planner cannot drive it from the filters again. One query.

    `name`: the name searched for, in deadline order. Its bearers are read from app_search_name in that
    order under the name, stopping at `limit`, and the longer names that start with it apart: a name
    shared by thousands in a province is not sorted through on every page. Where a database cannot
    order and limit each half of a UNION (SQLite), the matches are sorted together as any list's."""
    rows = Application.objects.select_related(*LIST_RELATED).defer(*LIST_DEFERRED).order_by(*queryset.query.order_by)
    if name and connections[queryset.db].features.supports_slicing_ordering_in_compound:
        exact = queryset.filter(applicant_name=name).values("pk")[:limit]
        longer = queryset.filter(After(F("applicant_name"), name)).values("pk")[:limit]
        return list(rows.filter(pk__in=exact.union(longer, all=True))[:limit])
    return list(rows.filter(pk__in=queryset.values("pk")[:limit]))


class After(Lookup):
    """`lhs` after `rhs` in byte order, as a pattern index (varchar_pattern_ops) compares: PostgreSQL's
    `~>~`, which such an index answers as a range; `>` elsewhere (SQLite compares bytes)."""

    lookup_name = "pattern_gt"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "~>~" if connection.vendor == "postgresql" else ">"
        return f"{lhs} {operator} {rhs}", (*lhs_params, *rhs_params)


def _seek(queryset, spec: Sort, ascending: bool, value, pk: int, limit: int, read) -> list[Application]:
    """Up to `limit` rows past (value, pk) read in `ascending` order by `read` (_read). Undated rows (value
    None) come after the dated ones when reading ascending, before them when reading descending."""
    undated = Q(**{f"{spec.field}__isnull": True})
    if value is None:
        rows = read(queryset.filter(undated & (Q(id__gt=pk) if ascending else Q(id__lt=pk))), limit)
        if not ascending and len(rows) < limit:
            rows += read(queryset.filter(~undated), limit - len(rows))
        return rows
    past = (TupleGreaterThan if ascending else TupleLessThan)(Tuple(spec.key(), F("id")), (value, pk))
    rows = read(queryset.filter(past), limit)
    if spec.nullable and ascending and len(rows) < limit:
        rows += read(queryset.filter(undated), limit - len(rows))
    return rows
