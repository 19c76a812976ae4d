from datetime import date

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import idnumber
from accounts.models import OrgUnit
from accounts.selectors import unit_settings
from eligibility import policies, workdays
from eligibility.engine import FactError, evaluate
from eligibility.facts import FACT_NAMES, Facts, with_unit_defaults
from eligibility.retirement import statutory_retirement


class FactsSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=30)
    female_original_retirement_age = serializers.ChoiceField(choices=[50, 55], allow_null=True, default=None)
    unemployment_registered_on = serializers.DateField(allow_null=True, default=None)
    graduated_on = serializers.DateField(allow_null=True, default=None)
    monthly_income = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, default=0)
    minimum_monthly_wage = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, allow_null=True, default=None
    )
    south_xinjiang_relaxed_months = serializers.IntegerField(min_value=6, max_value=12, allow_null=True, default=None)
    other_note = serializers.CharField(max_length=500, allow_blank=True, default="")

    def get_fields(self):
        fields = super().get_fields()
        for name in FACT_NAMES:  # every other fact is a boolean; omitted means false
            fields.setdefault(name, serializers.BooleanField(default=False))
        return fields

    def validate_id_number(self, value):
        try:
            return idnumber.parse(value).number
        except idnumber.InvalidIdNumber as exc:
            raise serializers.ValidationError(str(exc)) from None


class EvaluateSerializer(serializers.Serializer):
    policy = serializers.ChoiceField(choices=sorted(policies.POLICIES))
    as_of = serializers.DateField(required=False)
    facts = FactsSerializer()
    unit_code = serializers.CharField(required=False, max_length=12)

    def validate(self, data):
        data.setdefault("as_of", timezone.localdate())
        data["unit"] = self._unit(data)
        return data

    def _unit(self, data):
        code = data.get("unit_code")
        if not code:
            return None
        try:
            unit = unit_settings(code)
        except OrgUnit.DoesNotExist:
            raise ValidationError({"unit_code": ["没有这个单位。"]}) from None
        if unit.policy_code != data["policy"]:
            raise ValidationError({"unit_code": [f"该单位适用的政策是 {unit.policy_code or '（未设置）'}。"]})
        return unit


def decide(policy: str, facts: Facts, as_of: date):
    """Evaluate validated facts; a fact the rules reject becomes a field-level 400."""
    try:
        return evaluate(policy, facts, as_of)
    except FactError as exc:
        key = exc.field if exc.field in ("policy", "as_of") else "facts"
        raise ValidationError({key: {exc.field: [exc.message]}} if key == "facts" else {key: [exc.message]}) from None


@extend_schema(request=EvaluateSerializer, responses=dict, summary="资格评估（无副作用）")
@api_view(["POST"])
def evaluate_view(request: Request) -> Response:
    serializer = EvaluateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    facts = with_unit_defaults(Facts(**data["facts"]), data["unit"])
    decision = decide(data["policy"], facts, data["as_of"])
    wage = facts.minimum_monthly_wage
    return Response(
        {
            **decision.as_dict(),
            "parameters": {
                "minimum_monthly_wage": None if wage is None else str(wage),  # money as DRF renders it
                "south_xinjiang_relaxed_months": facts.south_xinjiang_relaxed_months,
            },
        }
    )


def _in_calendar_range(value: date) -> date:
    """Dates the calendar (and so these endpoints) supports: 400 naming the field, never 500."""
    if not workdays.in_range(value):
        raise serializers.ValidationError(f"日期应在{workdays.FIRST_YEAR}年至{workdays.LAST_YEAR}年之间。")
    return value


class RetirementQuery(serializers.Serializer):
    birth_date = serializers.DateField(validators=[_in_calendar_range])
    sex = serializers.ChoiceField(choices=["M", "F"])
    original_age = serializers.ChoiceField(choices=[60, 55, 50], required=False)

    def validate(self, data):
        # 国务院关于渐进式延迟法定退休年龄的办法 第二条: a woman's delay depends on whether her
        # original age is 50 or 55, so it is never guessed.
        if data["sex"] == "F" and "original_age" not in data:
            raise ValidationError({"original_age": ["女性请填写原法定退休年龄（50岁或55岁）。"]})
        data.setdefault("original_age", 60)
        if (data["sex"] == "M") != (data["original_age"] == 60):
            raise ValidationError({"original_age": ["男性原法定退休年龄为60岁，女性为50或55岁。"]})
        return data


@extend_schema(
    parameters=[RetirementQuery],
    responses=inline_serializer(
        "Retirement",
        {
            "age_years": serializers.IntegerField(),
            "age_months": serializers.IntegerField(),
            "date": serializers.DateField(),
        },
    ),
    summary="法定退休年龄（2025年渐进式延迟）",
)
@api_view(["GET"])
def retirement_view(request: Request) -> Response:
    query = RetirementQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    q = query.validated_data
    result = statutory_retirement(q["birth_date"], q["sex"], 50 if q["sex"] == "M" else q["original_age"])
    return Response({"age_years": result.years, "age_months": result.months, "date": result.date})


class UnitCalendarQuery(serializers.Serializer):
    """An optional unit: the working days of its province (DESIGN.md §4); without it, the national calendar."""

    unit_code = serializers.CharField(required=False, max_length=12)

    def validate_unit_code(self, value: str) -> str:
        if not OrgUnit.objects.filter(code=value).exists():
            raise serializers.ValidationError("没有这个单位。")
        return value


class AddWorkingDaysQuery(UnitCalendarQuery):
    date = serializers.DateField(validators=[_in_calendar_range])
    days = serializers.IntegerField(min_value=1, max_value=366)


@extend_schema(
    parameters=[AddWorkingDaysQuery],
    responses=inline_serializer(
        "WorkingDay", {"date": serializers.DateField(), "provisional": serializers.BooleanField()}
    ),
    summary="第N个工作日（不含当日）",
)
@api_view(["GET"])
def add_working_days_view(request: Request) -> Response:
    query = AddWorkingDaysQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    q = query.validated_data
    try:
        result = workdays.add_working_days(q["date"], q["days"], q.get("unit_code"))
    except workdays.CalendarRangeError as exc:
        raise ValidationError({"days": [f"第{q['days']}个工作日{exc}"]}) from None
    return Response({"date": result.date, "provisional": result.provisional})


class NoticePeriodQuery(UnitCalendarQuery):
    published_on = serializers.DateField(validators=[_in_calendar_range])


@extend_schema(
    parameters=[NoticePeriodQuery],
    responses=inline_serializer(
        "NoticePeriod",
        {"start": serializers.DateField(), "end": serializers.DateField(), "provisional": serializers.BooleanField()},
    ),
    summary="公示期（3个工作日）",
)
@api_view(["GET"])
def notice_period_view(request: Request) -> Response:
    query = NoticePeriodQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    q = query.validated_data
    try:
        period = workdays.notice_period(q["published_on"], q.get("unit_code"))
    except workdays.CalendarRangeError as exc:
        raise ValidationError({"published_on": [f"公示期{exc}"]}) from None
    return Response({"start": period.start, "end": period.end, "provisional": period.provisional})
