"""Reads of application lists (HackSoft selectors): the staff queue, the API list and the exports
filter and order through `application_queue`, always inside the one gate
(`access.applications_for_user`), so a list never shows what its user may not open."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from accounts import areas
from accounts.models import Role, User
from applications.access import applications_for_user
from applications.models import OPEN_STATES, Application, State

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

# Each sort ends with the primary key so that a page boundary is stable.
SORTS = {
    "due": (F("stage_due_on").asc(nulls_last=True), "id"),
    "-due": (F("stage_due_on").desc(nulls_first=True), "-id"),
    "received": ("received_on", "id"),
    "-received": ("-received_on", "-id"),
    # by the procedure's order (DESIGN.md §5: 收到申请 … 审批, then the ends), not by the codes' spelling
    "state": (
        Case(*(When(state=state, then=Value(i)) for i, state in enumerate(State)), output_field=IntegerField()),
        "id",
    ),
}

LIST_DEFERRED = ("facts", "eligibility", "missing_materials")
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
    q: str = ""  # an ID-number prefix (digits), otherwise part of the name
    sort: str = "due"  # a key of SORTS


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
    if filters.category:
        queryset = queryset.filter(categories__contains=f",{filters.category},")
    unit = filters.unit_prefix
    # a 12-digit code by its level's prefix: 650102001010 is one community, not 65010200101x
    if prefix := areas.prefix(unit) if areas.is_valid(unit) else unit.rstrip("0") or unit:
        queryset = queryset.filter(unit__code__startswith=prefix)
    if filters.overdue:
        queryset = queryset.filter(stage_due_on__lt=timezone.localdate())
    if filters.received_from:
        queryset = queryset.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_on__lte=filters.received_to)
    if q := filters.q.strip():
        if len(q) == 18 and ID_PREFIX.match(q):  # a full number: equality on the unique index
            queryset = queryset.filter(applicant__id_number=q.upper())
        elif ID_PREFIX.match(q):  # a prefix: the pattern index (applicant_id_number_prefix)
            queryset = queryset.filter(applicant__id_number__startswith=q.upper())
        else:  # part of a name: the trigram index on PostgreSQL
            queryset = queryset.filter(applicant__name__contains=q)
    # Lists show no facts or evaluation: rows stay narrow when sorted (issue 13).
    return queryset.defer(*LIST_DEFERRED).order_by(*SORTS.get(filters.sort, SORTS["due"]))
