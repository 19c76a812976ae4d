"""The one gate for recognitions and exit cases (STYLE.md §4): which a user may read, and what they may
do with one. Pages, API, PDFs and services all call it; out of scope answers 404 as an absent one does."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.scoping import scope, staff_prefix
from accounts.selectors import is_verified_owner
from exits.models import ExitCase, Recognition

ASSISTING_ROLES = frozenset({Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY})


@dataclass(frozen=True)
class Access:
    own: bool = False  # the recognised person themself (verified account)
    assist: bool = False  # community, township and county staff in scope: plan, services, proposals
    county: bool = False  # a county officer in scope: exit decisions and re-verification (第十六条, 第十九条)

    def may(self, actor: str) -> bool:
        return {
            "assist": self.assist,
            "county": self.county,
            "own_or_assist": self.own or self.assist,
        }[actor]


NO_ACCESS = Access()


def person_account(person) -> User | None:
    """The account that receives the person's messages (`person.user` expected loaded)."""
    user = person.user
    return user if user is not None and user.is_active and is_verified_owner(user, person) else None


def access_for(user: User | None, recognition: Recognition) -> Access:
    """No query: `user.unit` and `recognition.applicant` are expected loaded."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if user.is_applicant:
        return Access(own=is_verified_owner(user, recognition.applicant))
    if not user.is_staff_officer or not recognition.unit_id.startswith(user.unit.prefix):
        return NO_ACCESS
    return Access(assist=user.role in ASSISTING_ROLES, county=user.role == Role.COUNTY)


def recognitions_for_user(user: User) -> QuerySet[Recognition]:
    queryset = Recognition.objects.select_related("applicant", "unit")
    if staff_prefix(user) is not None:
        return scope(queryset, user)
    if user.is_authenticated and user.is_active and user.is_applicant and user.identity_verified and user.id_number:
        return queryset.filter(applicant__user=user, applicant__id_number=user.id_number)
    return queryset.none()


def recognition_for_user(user: User, pk: int) -> Recognition:
    return get_object_or_404(recognitions_for_user(user), pk=pk)


def recognition_to_assist(user: User, pk: int) -> Recognition:
    """For plan, services, subsidies, employment and proposals: 404 out of scope, then 403 for a role that
    does not assist, both before any input is read (so a bad body never tells an outsider more)."""
    recognition = recognition_for_user(user, pk)
    if not access_for(user, recognition).may("assist"):
        raise PermissionDenied("您不能为该人员记录就业援助。")
    return recognition


def exits_for_user(user: User) -> QuerySet[ExitCase]:
    queryset = ExitCase.objects.select_related("recognition__applicant", "recognition__unit")
    if staff_prefix(user) is not None:
        return scope(queryset, user, code_field="recognition__unit__code")
    if user.is_authenticated and user.is_active and user.is_applicant and user.identity_verified and user.id_number:
        return queryset.filter(recognition__applicant__user=user, recognition__applicant__id_number=user.id_number)
    return queryset.none()


def exit_for_user(user: User, pk: int) -> ExitCase:
    return get_object_or_404(exits_for_user(user), pk=pk)
