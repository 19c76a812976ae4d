"""The approval form as a PDF, rendered by WeasyPrint: the policy's own (Policy.approval_form_title:
新疆 附件2 审批表, 吉林 附件 认定表), with the applicant's and each level's signature and date lines and
seal areas (第九条至第十一条: opinions filled in on the form; 吉人社发〔2022〕10号 二(二)、二(三): 签署意见加盖公章)."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import audit
from accounts.idnumber import mask_name
from applications.models import Application, Stage
from config.pdf import pdf_response, render
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
            "commitments": list(application.commitments.all()),
            "rows": [(stage, latest.get(stage)) for stage in levels],
            "history": opinions,
            "printed_at": timezone.localtime(),
        },
    )
    return render(html)


def approval_form_response(application: Application, request) -> HttpResponse:
    """The filed form shows the full ID number: the download is audited (API.md "Audit": download, view_full_id)."""
    policy = policies.get(application.policy_code)
    response = pdf_response(
        approval_form_pdf(application),
        filename=f"{policy.approval_form_title}-{mask_name(application.applicant_name)}-{application.reference}.pdf",
        fallback=f"approval-form-{application.reference}.pdf",
    )
    audit.full_id_shown(request, object_type="application", object_id=application.pk)
    return audit.downloaded(
        request, response, object_type="application", object_id=application.pk, document="approval_form"
    )
