"""API.md "Oversight": GET /api/v1/stats/ — a thin caller of reports.stats."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.scoping import staff_prefix
from reports import stats


class StatsQuery(serializers.Serializer):
    unit_code = serializers.RegexField(
        r"^\d{12}$", required=False, allow_blank=True, error_messages={"invalid": "区划代码应为12位数字。"}
    )
    # "from" is a Python keyword: the field is declared under its query-string name below
    to = serializers.DateField(required=False, allow_null=True)


StatsQuery._declared_fields["from"] = serializers.DateField(required=False, allow_null=True)


def scope_from_query(request) -> stats.StatsScope:
    """The caller's scope for the figures from ?unit_code=&from=&to= (400 on bad input, 404 out of scope)."""
    if staff_prefix(request.user) is None:
        raise PermissionDenied("仅限经办人员查看统计。")
    query = StatsQuery(data={k: v for k, v in request.query_params.items() if k in ("unit_code", "from", "to") and v})
    query.is_valid(raise_exception=True)
    data = query.validated_data
    try:
        return stats.stats_scope(
            user=request.user,
            unit_code=data.get("unit_code", ""),
            date_from=data.get("from"),
            date_to=data.get("to"),
        )
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from None


@extend_schema(parameters=[StatsQuery], responses={200: dict})
@api_view(["GET"])
def stats_view(request: Request) -> Response:
    return Response(stats.stats(scope_from_query(request)))
