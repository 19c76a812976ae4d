from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db.models import QuerySet

from accounts import areas
from accounts.models import AuditEvent, OrgUnit, Role, User
from accounts.scoping import scope


@dataclass(frozen=True)
class UnitSettings:
    """What the rules need to know about a unit, inherited down the tree where unset."""

    code: str
    policy_code: str
    is_urban: bool
    south_xinjiang: bool
    relaxed_unemployment_months: int | None
    minimum_monthly_wage: Decimal | None
    accepts_applications: bool


def unit_settings(code: str) -> UnitSettings:
    """One query for the unit and its ancestors. Raises OrgUnit.DoesNotExist for an unknown code."""
    chain = {u.code: u for u in OrgUnit.objects.filter(code__in=[*areas.ancestors(code), code])}
    unit = chain[code] if code in chain else OrgUnit.objects.get(code=code)
    lineage = [chain[c] for c in [*areas.ancestors(code), code] if c in chain]  # province first

    def nearest(attr):
        values = [getattr(u, attr) for u in reversed(lineage) if getattr(u, attr) not in (None, "")]
        return values[0] if values else None

    return UnitSettings(
        code=code,
        policy_code=nearest("policy_code") or "",
        is_urban=unit.is_urban,
        south_xinjiang=any(u.south_xinjiang for u in lineage),
        relaxed_unemployment_months=nearest("relaxed_unemployment_months"),
        minimum_monthly_wage=nearest("minimum_monthly_wage"),
        accepts_applications=unit.accepts_applications,
    )


def units_for_user(user: User) -> QuerySet[OrgUnit]:
    return scope(OrgUnit.objects.all(), user, code_field="code")


class PersonRecord(Protocol):
    """A person's record as identity needs it (applications.models.Applicant)."""

    user_id: int | None
    id_number: str


def is_verified_owner(user: User, person: PersonRecord) -> bool:
    """DESIGN.md §10: an account owns a person's records only through the verified link — the record
    tied to it (applications.identity alone writes that), the account's identity verified, and the same
    ID number on both. Registering someone's ID number gives nothing."""
    return (
        user.is_applicant
        and user.identity_verified
        and person.user_id == user.pk
        and bool(user.id_number)
        and person.id_number == user.id_number
    )


AUDIT_READER_ROLES = frozenset({Role.PROVINCE, Role.COUNTY})


def can_read_audit(user: User) -> bool:
    """API.md "Audit": administrators, province staff, and county staff (within their scope)."""
    return user.is_authenticated and (user.is_admin or (user.is_staff_officer and user.role in AUDIT_READER_ROLES))


def audit_events_for_user(
    user: User, *, object_type: str = "", object_id: str = "", actor: str = "", action: str = ""
) -> QuerySet[AuditEvent]:
    """Events of actors in the caller's scope (an administrator sees all, including failed logins
    of unknown accounts), newest first, narrowed by the filters given."""
    if not can_read_audit(user):
        return AuditEvent.objects.none()
    events = scope(AuditEvent.objects.select_related("actor"), user, code_field="unit_code")
    filters = {"object_type": object_type, "object_id": object_id, "actor__username": actor, "action": action}
    return events.filter(**{field: value for field, value in filters.items() if value})
