from django.utils import timezone

from eligibility.workdays import provisional_year_warning


def calendar_warning(request):
    """Warn administrators from 1 November while next year's holiday schedule is missing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_admin:
        return {}
    return {"provisional_calendar_year": provisional_year_warning(timezone.localdate())}
