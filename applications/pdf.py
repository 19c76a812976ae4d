"""The approval form as a PDF, rendered by WeasyPrint: the policy's own (Policy.approval_form_title:
新疆 附件2 审批表, 吉林 附件 认定表)."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from applications.models import Application, Stage
from eligibility import policies


def approval_form_pdf(application: Application) -> bytes:
    policy = policies.get(application.policy_code)
    opinions = list(application.opinions.select_related("officer", "unit"))
    latest = {}
    for opinion in opinions:  # an upheld objection adds a later initial opinion: the form shows the latest
        latest[opinion.stage] = opinion
    levels = [Stage.INITIAL, *([Stage.TOWNSHIP] if policy.procedure.township_review else []), Stage.COUNTY]
    html = render_to_string(
        "pdf/approval_form.html",
        {
            "application": application,
            "policy": policy,
            "eligibility": application.eligibility,
            "rows": [(stage, latest.get(stage)) for stage in levels],
            "history": opinions,
            "printed_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


def approval_form_response(application: Application) -> HttpResponse:
    response = HttpResponse(approval_form_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="approval-form-{application.reference}.pdf"'
    return response
