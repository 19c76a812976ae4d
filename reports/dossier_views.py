"""一人一册 download: the page (GET /persons/<id>/dossier.pdf) and the API (GET /api/v1/persons/{id}/dossier.pdf),
both through reports.dossier's gate (out of scope 404) and both audited."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request

from accounts import audit
from config.pdf import pdf_response, render
from reports.dossier import dossier_for, dossier_html


def dossier_response(request, person_id: int) -> HttpResponse:
    dossier = dossier_for(request.user, person_id)
    data = render(dossier_html(dossier))
    detail = {"document": "dossier", "full_id": dossier.full_id}
    audit.record(
        actor=request.user, action="download", object_type="person", object_id=person_id, detail=detail, request=request
    )
    if dossier.full_id:  # API.md "Audit": any response that shows a full ID number
        audit.record(
            actor=request.user, action="view_full_id", object_type="person", object_id=person_id, request=request
        )
    return pdf_response(data, filename=dossier.filename, fallback=f"dossier-{person_id}.pdf")


@login_required
def dossier_page(request: HttpRequest, pk: int) -> HttpResponse:
    return dossier_response(request, pk)


@extend_schema(responses={(200, "application/pdf"): bytes})
@api_view(["GET"])
def dossier_view(request: Request, pk: int) -> HttpResponse:
    """一人一册: the person's applications, notices, recognitions, plan, services, subsidies and exits in the
    caller's scope as one PDF (staff only; out of scope 404; audited)."""
    return dossier_response(request, pk)
