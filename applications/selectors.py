"""Reads, always scoped: the one access gate for applications (STYLE.md §4)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.scoping import scope, staff_prefix
from applications.models import Application


def applications_for_user(user: User) -> QuerySet[Application]:
    """Staff see their units' applications; an applicant sees their own; anyone else nothing."""
    queryset = Application.objects.select_related("applicant", "unit", "handling_unit")
    if staff_prefix(user) is not None:
        return scope(queryset, user)
    if user.is_authenticated and user.is_applicant:
        return queryset.filter(applicant__user=user)
    return queryset.none()


def application_for_user(user: User, pk: int) -> Application:
    """Out of scope answers 404, exactly as an absent application does."""
    return get_object_or_404(applications_for_user(user), pk=pk)
