"""API.md "Oversight": GET /api/v1/stats/ — a thin caller of reports.stats."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.scoping import staff_prefix
from reports import stats
from reports.forms import StatsForm


def scope_from_query(request) -> stats.StatsScope:
    """The caller's scope for the figures from ?unit_code=&from=&to= (400 on bad input, 404 out of scope)."""
    if staff_prefix(request.user) is None:
        raise PermissionDenied("仅限经办人员查看统计。")
    form = StatsForm.from_query(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.query_errors())
    data = form.cleaned_data
    try:
        return stats.stats_scope(
            user=request.user, unit_code=data["unit_code"], date_from=data["date_from"], date_to=data["date_to"]
        )
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from None


@extend_schema(
    parameters=[
        OpenApiParameter("unit_code", str, description="12位区划代码（默认本单位）"),
        OpenApiParameter("from", OpenApiTypes.DATE, description="默认今年1月1日"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="默认今天"),
    ],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def stats_view(request: Request) -> Response:
    return Response(stats.stats(scope_from_query(request)))
