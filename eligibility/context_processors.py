from django.utils import timezone

from accounts.models import Role
from eligibility import policies
from eligibility.workdays import provisional_year_warning


def calendar_warning(request):
    """Warn administrators from 1 November while next year's holiday schedule is missing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_admin:
        return {}
    return {"provisional_calendar_year": provisional_year_warning(timezone.localdate())}


def policy_expiry_warning(request) -> dict:
    """From 90 days before a policy's end (DESIGN.md §3; xinjiang-2025 第二十一条) admins, and the
    province-role staff of that province, are told which policy ends when, until its successor is
    entered: after the end, its province cannot receive applications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if user.is_admin:
        province = ""
    elif user.role == Role.PROVINCE and user.unit_id:
        province = user.unit_id
    else:
        return {}
    today = timezone.localdate()
    ending = [
        {"policy": p, "ended": today > p.valid_until, "days_left": (p.valid_until - today).days}
        for p in policies.expiring(today)
        if province.startswith(p.province) or not province
    ]
    return {"expiring_policies": ending} if ending else {}
