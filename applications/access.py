"""The one gate for applications (STYLE.md §4; healthchecks' `_get_rw_check_for_user`): which
applications a user may read, and what they may do with one. Pages, API, PDFs and services all
call it; an application out of scope answers 404, exactly as an absent one does."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.scoping import scope, staff_prefix
from accounts.selectors import is_verified_owner
from applications.models import Applicant, Application


@dataclass(frozen=True)
class Access:
    """What one user may do with one application, by the part they play in it (DESIGN.md §2, §5)."""

    own: bool = False  # the applicant themself
    handling: bool = False  # staff of the unit that received it and reviews first (第七条)
    township: bool = False  # a township officer above its unit (第十条)
    county: bool = False  # a county officer above its unit (第十一条)
    admin: bool = False  # data correction from the admin, logged as the admin

    def may(self, actor: str) -> bool:
        """`actor` is the part a transition or an action needs (workflow.SPECS)."""
        return {
            "handling": self.handling,
            "township": self.township,
            "county": self.county,
            "applicant_or_handling": self.own or self.handling,
            "withdraw": self.own or self.handling or self.admin,
        }[actor]

    @property
    def may_supply_materials(self) -> bool:
        """The applicant themself or the handling unit (第八条)."""
        return self.own or self.handling

    @property
    def may_edit_facts(self) -> bool:
        """The handling unit corrects what the decision rests on (DESIGN.md §5)."""
        return self.handling


NO_ACCESS = Access()


def access_for(user: User | None, application: Application) -> Access:
    """No query: `user.unit` and `application.applicant` are expected loaded (the selectors do)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if user.is_admin:
        return Access(admin=True)
    if user.is_applicant:
        return Access(own=is_verified_owner(user, application.applicant))
    if not user.is_staff_officer or not application.unit_id.startswith(user.unit.prefix):
        return NO_ACCESS
    return Access(
        handling=user.unit_id == application.handling_unit_id,
        township=user.role == Role.TOWNSHIP,
        county=user.role == Role.COUNTY,
    )


def verified_owner(person: Applicant) -> User | None:
    """The account that receives the person's messages (`person.user` expected loaded)."""
    user = person.user
    return user if user is not None and user.is_active and is_verified_owner(user, person) else None


def applications_for_user(user: User) -> QuerySet[Application]:
    """Staff see their units' applications; an applicant sees their own through the verified link
    only; anyone else nothing."""
    queryset = Application.objects.select_related("applicant", "unit", "handling_unit")
    if staff_prefix(user) is not None:
        return scope(queryset, user)
    if user.is_authenticated and user.is_active and user.is_applicant and user.identity_verified and user.id_number:
        return queryset.filter(applicant__user=user, applicant__id_number=user.id_number)
    return queryset.none()


def application_for_user(user: User, pk: int) -> Application:
    """Out of scope answers 404, exactly as an absent application does."""
    return get_object_or_404(applications_for_user(user), pk=pk)


def application_access(user: User, pk: int) -> tuple[Application, Access]:
    application = application_for_user(user, pk)
    return application, access_for(user, application)
