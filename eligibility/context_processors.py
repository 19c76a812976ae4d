from django.utils import timezone

from accounts.models import Role
from eligibility import policies
from eligibility.models import province_name
from eligibility.workdays import load, missing_regional_schedules, provisional_year_warning, schedules


def calendar_warning(request):
    """Warn administrators from 1 November while next year's holiday schedule is missing, and while a
    province with its own holidays lacks its schedule for this year or (from 1 November) next year,
    naming the province."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_admin:
        return {}
    today = timezone.localdate()
    regional = missing_regional_schedules(today, schedules())
    return {
        "provisional_calendar_year": provisional_year_warning(today, load()),
        # e.g. "新疆维吾尔自治区 2026、2027 年"
        "provisional_regional_calendar": "；".join(
            f"{province_name(p)} {'、'.join(map(str, years))} 年" for p, years in regional.items()
        ),
    }


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


def policy_documents(request) -> dict:
    """The documents the system implements, for the footer (no query)."""
    return {"policy_documents": [p.document for p in policies.POLICIES.values()]}
