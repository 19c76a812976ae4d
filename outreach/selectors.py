"""Reads of the outreach app, each scoped (accounts.scoping): the work list, push lists, the register
and the conversion figures of a pushing unit."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import OrgUnit, User
from accounts.scoping import scope
from applications.models import Application, State
from exits.models import Need, Recognition, ServiceRecord, Subsidy
from outreach.models import Person, PersonChange, PushedPerson, PushedState, PushList, Visit


def work_list(*, user: User, state: str = "") -> QuerySet[PushedPerson]:
    """推送名单待核实: each unit sees what it receives and what its units below receive."""
    qs = scope(PushedPerson.objects.all(), user, code_field="receiving_unit__code")
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("unit", "receiving_unit", "outcome_by").order_by("state", "due_on", "id")


def pushed_for_user(user: User, pk: int) -> PushedPerson:
    return get_object_or_404(work_list(user=user), pk=pk)


def push_lists(*, user: User) -> QuerySet[PushList]:
    return scope(PushList.objects.all(), user, code_field="unit__code").select_related("unit", "created_by")


def push_list_for_user(user: User, pk: int) -> PushList:
    return get_object_or_404(push_lists(user=user), pk=pk)


def returned(*, user: User, push_list: PushList) -> QuerySet[PushedPerson]:
    """Rows the communities sent back (not reachable or not resident), for the pushing unit."""
    return push_list.persons.filter(state=PushedState.UNREACHABLE).select_related("unit", "outcome_by")


# --- 一人一册


def register(*, user: User, query: str = "") -> QuerySet[Person]:
    """The register of persons in scope, with what the other apps know, counted in the same query:
    assistance contacts (services, 四(一) 帮扶次数), policies enjoyed (subsidies) and visits, each of
    them the reader's scope's own, as person_file lists them."""
    qs = scope(Person.objects.all(), user, code_field="unit__code")
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(id_number=query.upper()))
    recognitions = scope(Recognition.objects.filter(applicant__id_number=OuterRef("id_number")), user)
    counted = {
        name: _count(
            scope(
                model.objects.filter(recognition__applicant__id_number=OuterRef("id_number")),
                user,
                code_field="recognition__unit__code",
            ),
            "recognition__applicant__id_number",
        )
        for name, model in (("contacts", ServiceRecord), ("policies", Subsidy))
    }
    counted["visits_count"] = _count(scope(Visit.objects.filter(person=OuterRef("pk")), user), "person")
    return (
        qs.select_related("unit")
        .annotate(**counted, recognition_id=Subquery(recognitions.filter(active=True).values("id")[:1]))
        .order_by("unit_id", "name", "id")
    )


def _count(rows: QuerySet, per: str) -> Coalesce:
    """The number of `rows` (a correlated queryset) per `per`, as a column of the outer query; 0 for none."""
    return Coalesce(Subquery(rows.values(per).annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0)


def person_for_user(user: User, pk: int) -> Person:
    return get_object_or_404(register(user=user), pk=pk)


def visit_for_user(user: User, pk: int) -> Visit:
    return get_object_or_404(scope(Visit.objects.select_related("person", "unit"), user), pk=pk)


@dataclass
class PersonFile:
    """Everything known of one person, across the apps (一人一册)."""

    person: Person
    visits: list
    pushes: list
    applications: list
    recognitions: list
    services: list
    subsidies: list
    changes: list


FIELD_LABELS = {
    "name": "姓名",
    "phone": "联系电话",
    "unit_id": "常住地",
    "job_wishes": "求职意愿",
    "service_needs": "服务需求",
}


def _shown(key: str, value) -> str:
    if key == "service_needs":
        return "、".join(str(Need(n).label) for n in value or [] if n in Need.values) or "—"
    return str(value) if value not in (None, "") else "—"


def change_lines(change: PersonChange) -> list[str]:
    """A history entry's changed fields in words: 求职意愿：保洁 → 家政."""
    return [
        f"{label}：{_shown(key, change.changes[key][0])} → {_shown(key, change.changes[key][1])}"
        for key, label in FIELD_LABELS.items()
        if key in change.changes
    ]


def person_file(*, person: Person, user: User) -> PersonFile:
    """What `user`'s scope holds of the person: the visits its units made, the cases and recognitions
    of its units, the pushes they received, and the history its officers (or the system) wrote. A person
    who moved into the scope brings nothing recorded elsewhere: not the former community's findings, nor
    the phones the person had there (each reached through its own scope, accounts.scoping)."""
    number = person.id_number
    recognitions = list(scope(Recognition.objects.filter(applicant__id_number=number), user).select_related("unit"))
    changes = person.changes.filter(actor__isnull=True) | scope(
        person.changes.all(), user, code_field="actor__unit__code"
    )
    return PersonFile(
        person=person,
        visits=list(scope(person.visits.all(), user).select_related("unit", "officer")),
        pushes=list(
            scope(
                PushedPerson.objects.filter(id_number=number), user, code_field="receiving_unit__code"
            ).select_related("receiving_unit", "outcome_by")
        ),
        applications=list(
            scope(Application.objects.filter(applicant__id_number=number), user).select_related("handling_unit")
        ),
        recognitions=recognitions,
        services=list(ServiceRecord.objects.filter(recognition__in=recognitions).order_by("-date", "-id")),
        subsidies=list(Subsidy.objects.filter(recognition__in=recognitions).order_by("-start", "-id")),
        changes=[(c, change_lines(c)) for c in changes.select_related("actor")],
    )


# --- conversion (第十三条 发现一人、认定一人、扶助一人)

AGES = (("0-10", 0, 10), ("11-30", 11, 30), ("31-90", 31, 90), ("90+", 91, None))
FIGURES = ("pushed", "contacted", "consented", "applied", "recognised")


def conversion_counts() -> dict:
    """The five figures as aggregates, for .aggregate() or .values(...).annotate() (reports.stats)."""
    return {
        "pushed": Count("id"),
        "contacted": Count("id", filter=~Q(state=PushedState.PENDING)),
        "consented": Count("id", filter=Q(state=PushedState.CONSENTED)),
        "applied": Count("id", filter=Q(application__isnull=False) & ~Q(application__state=State.WITHDRAWN)),
        "recognised": Count("id", filter=Q(application__state=State.APPROVED)),
    }


def pushed_into(*, user: User, prefix: str = "", date_from: date | None = None, date_to: date | None = None):
    """Persons pushed (by any unit above) into the caller's area, or into `prefix` within it, in a period."""
    qs = scope(PushedPerson.objects.filter(push_list__isnull=False), user, code_field="unit__code")
    if prefix:
        qs = qs.filter(unit__code__startswith=prefix)
    if date_from and date_to:
        qs = qs.filter(pushed_on__range=(date_from, date_to))
    return qs


def _counts(qs: QuerySet[PushedPerson]) -> dict:
    return qs.aggregate(**conversion_counts())


def conversion(*, user: User, today: date | None = None) -> dict:
    """Pushed, contacted, consented, applied and recognised among the persons pushed into the caller's
    area (by whichever unit above pushed them), in all, by child unit and by age of the push in days."""
    today = today or timezone.localdate()
    qs = pushed_into(user=user)
    own = user.unit if user.unit_id else None
    children = list(OrgUnit.objects.filter(parent=own)) if own else []
    by_child = []
    for child in children:
        counts = _counts(qs.filter(unit__code__startswith=child.prefix))
        if counts["pushed"]:
            by_child.append({"unit_code": child.code, "name": child.name, **counts})
    by_age = []
    for label, low, high in AGES:
        part = qs.filter(pushed_on__lte=today - timedelta(days=low))
        if high is not None:
            part = part.filter(pushed_on__gte=today - timedelta(days=high))
        by_age.append({"age_days": label, **_counts(part)})
    return {"unit_code": own.code if own else "", "total": _counts(qs), "by_child_unit": by_child, "by_age": by_age}
