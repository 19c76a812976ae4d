"""Reads of the exits app, scoped through exits.access: the register and the exit queue are the same
query for the page and the API."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from exits.access import exits_for_user, recognitions_for_user
from exits.models import ExitCase, ExitLog, ExitState, Plan, Recognition

ASSISTANCE = {
    "no_plan": "尚无援助方案",
    "planned": "已制定援助方案",
    "zero_household": "零就业家庭尚无人就业",
    "employed": "已登记就业",
}


def _active(value) -> bool | None:
    if value in (None, ""):
        return None
    if str(value).lower() in ("true", "1", "yes"):
        return True
    if str(value).lower() in ("false", "0", "no"):
        return False
    raise ValidationError({"active": ["请填写 true 或 false。"]})


def recognition_register(
    *,
    user,
    active=None,
    unit_code: str = "",
    category: str = "",
    assistance: str = "",
    due: bool = False,
    proposed: bool = False,
    end_reason: str = "",
    ended_from: date | None = None,
    ended_to: date | None = None,
    today: date | None = None,
) -> QuerySet[Recognition]:
    """The register of recognised persons (DESIGN.md §7), filtered; a fixed number of queries per page."""
    queryset = recognitions_for_user(user).annotate(
        has_plan=Exists(Plan.objects.filter(recognition=OuterRef("pk"))),
        has_proposal=Exists(ExitCase.objects.filter(recognition=OuterRef("pk"), state=ExitState.PROPOSED)),
    )
    if (flag := _active(active)) is not None:
        queryset = queryset.filter(active=flag)
    if unit_code:
        if not unit_code.isdigit() or len(unit_code) > 12:
            raise ValidationError({"unit_code": ["区划代码应为数字。"]})
        queryset = queryset.filter(unit__code__startswith=unit_code.rstrip("0") or unit_code)
    if category:
        queryset = queryset.filter(category_index__contains=f",{category},")
    if assistance == "no_plan":
        queryset = queryset.filter(has_plan=False)
    elif assistance == "planned":
        queryset = queryset.filter(has_plan=True)
    elif assistance == "zero_household":
        queryset = queryset.filter(zero_employment_household=True, household_employed_on__isnull=True)
    elif assistance == "employed":
        queryset = queryset.filter(employed_on__isnull=False)
    elif assistance:
        raise ValidationError({"assistance": ["未知的援助状态。"]})
    if due:
        today = today or timezone.localdate()
        queryset = queryset.filter(Q(identity_check_due_on__lte=today) | Q(plan__review_on__lte=today), active=True)
    if proposed:
        queryset = queryset.filter(has_proposal=True)
    if end_reason:  # the dashboard's exits by reason (reports)
        queryset = queryset.filter(end_reason=end_reason)
    if ended_from:
        queryset = queryset.filter(ended_on__gte=ended_from)
    if ended_to:
        queryset = queryset.filter(ended_on__lte=ended_to)
    return queryset


def exit_queue(*, user, state: str = ExitState.PROPOSED) -> QuerySet[ExitCase]:
    queryset = exits_for_user(user)
    return queryset.filter(state=state) if state else queryset


def activity(recognition: Recognition) -> list[tuple[str, object, int]]:
    """The confirmations and restorations that made a recognition inactive and active again, in order."""
    return list(
        ExitLog.objects.filter(case__recognition=recognition, name__in=("confirm", "restore"))
        .order_by("at", "id")
        .values_list("name", "at", "case_id")
    )
