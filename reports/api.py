"""API.md "Oversight": GET /api/v1/stats/ — a thin caller of reports.stats."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.scoping import staff_prefix
from config.api import Conflict
from config.replica import replica_reads
from reports import services, stats
from reports.forms import StatsForm
from reports.models import ExportJob, ExportState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    scope = scope_from_query(request)
    with replica_reads():
        return Response(stats.stats(scope))


# --- Excel exports (API.md "Oversight")


def _full_ids(request) -> bool:
    value = request.query_params.get("full_ids", "false").lower()
    if value not in ("true", "false", "1", "0", ""):
        raise ValidationError({"full_ids": ["请填写 true 或 false。"]})
    return value in ("true", "1")


class ExportJobOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    progress = serializers.IntegerField(help_text="0–100")
    total = serializers.IntegerField()
    written = serializers.IntegerField()
    filename = serializers.CharField()
    download_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField()

    def get_download_url(self, job) -> str | None:
        if job.state != ExportState.DONE:
            return None
        return reverse("api:export-download", kwargs={"pk": job.pk})


def _export(request: Request, kind: str, defaults: dict | None = None) -> HttpResponse:
    if staff_prefix(request.user) is None:
        raise PermissionDenied("仅限经办人员导出。")
    params = {k: v for k, v in request.query_params.items() if k not in ("full_ids", "format", "page")}
    for name, value in (defaults or {}).items():  # what the list means by a filter absent or empty
        params[name] = params.get(name) or value
    try:
        result = services.export_start(
            user=request.user, kind=kind, params=params, full_ids=_full_ids(request), request=request
        )
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    if isinstance(result, ExportJob):
        response = Response(ExportJobOutput(result).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:export-detail", kwargs={"pk": result.pk})
        return response
    return FileResponse(result.file, as_attachment=True, filename=result.filename, content_type=XLSX)


EXPORT_SCHEMA = extend_schema(
    parameters=[OpenApiParameter("full_ids", bool, description="完整身份证号（县级及以上，记入审计）")],
    responses={(200, XLSX): OpenApiTypes.BINARY, 202: ExportJobOutput},
)


@EXPORT_SCHEMA
@api_view(["GET"])
def applications_export_view(request: Request) -> HttpResponse:
    """The list's filters (API.md), read as GET /api/v1/applications/ reads them: no state is every state,
    unit_code a unit or a code prefix; and the queue's: state (also all, open, decided), category, overdue,
    unit, received_from, received_to."""
    return _export(request, "applications", defaults={"state": "all"})


@EXPORT_SCHEMA
@api_view(["GET"])
def recognitions_export_view(request: Request) -> HttpResponse:
    """The register's filters: active, unit_code, category, assistance, due, proposed, reason, ended_from, ended_to."""
    return _export(request, "recognitions")


@EXPORT_SCHEMA
@api_view(["GET"])
def notices_export_view(request: Request) -> HttpResponse:
    """The lines of the notices in scope; filter: state."""
    return _export(request, "notices")


def _job(request: Request, pk: int) -> ExportJob:
    """A job is its owner's alone: anyone else's is a 404, like an absent one."""
    return get_object_or_404(ExportJob, pk=pk, owner=request.user)


@extend_schema(responses=ExportJobOutput)
@api_view(["GET"])
def export_detail_view(request: Request, pk: int) -> Response:
    return Response(ExportJobOutput(_job(request, pk)).data)


@extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
@api_view(["GET"])
def export_download_view(request: Request, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.state != ExportState.DONE or not job.file:
        raise Conflict("导出文件尚未生成完毕。")
    services.export_download(user=request.user, job=job, request=request)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX)
