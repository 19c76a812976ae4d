"""The one scoping rule (DESIGN.md §2): a staff user sees objects whose unit code starts
with their own unit's significant prefix. Every queryset in views, API, exports and PDFs
goes through `scope`; out-of-scope objects are simply absent (404)."""

from django.db.models import QuerySet

from accounts.models import User


def staff_prefix(user: User) -> str | None:
    """'' for administrators (everything), the unit prefix for officers, None for no staff access."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_admin:
        return ""
    if user.is_staff_officer:
        return user.unit.prefix if user.unit else None
    return None


def covers(user: User, unit_code: str) -> bool:
    """Whether `unit_code` lies in `user`'s scope as staff. A unit named in a request outside it is
    answered as an unknown one (404, API.md "Errors"), never as one the caller may not act for (403)."""
    prefix = staff_prefix(user)
    return prefix is not None and unit_code.startswith(prefix)


def scope(queryset: QuerySet, user: User, *, code_field: str = "unit__code") -> QuerySet:
    """Restrict `queryset` to what `user` may see as staff; `code_field` holds a unit code."""
    prefix = staff_prefix(user)
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    if len(prefix) == 12:  # a community: equality, so an index on (unit, ordering) serves its lists
        return queryset.filter(**{code_field: prefix})
    return queryset.filter(**{f"{code_field}__startswith": prefix})
