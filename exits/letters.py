"""取消就业困难人员认定告知书 (DESIGN.md §7): the reason, its article, and the right to ask for
re-verification within 30 days of notification (xinjiang 第十九条), rendered by WeasyPrint like the
approval form. The county that confirmed the exit issues it (第十七条: 县级人社部门…取消…并告知)."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from accounts import audit
from accounts.idnumber import mask, mask_name
from accounts.models import OrgUnit
from config.pdf import pdf_response, render
from eligibility import policies
from exits.models import ExitCase, ExitState

LETTER_STATES = frozenset({ExitState.CONFIRMED, ExitState.OBJECTION, ExitState.RESTORED, ExitState.UPHELD})
# where each policy's text gives the right to re-verification; jilin-2022 names none, so its letter
# offers the re-verification of DESIGN.md §7 without an article
REVERIFY_ARTICLE = {"xinjiang-2025": "第十九条"}
# who decides at county level, in each text's words: xinjiang 第十九条 做出核定的人力资源和社会保障部门;
# jilin 二(三), 三 县（市、区）公共就业服务机构
DECIDING_BODY = {"xinjiang-2025": "人力资源和社会保障部门", "jilin-2022": "公共就业服务机构"}


def exit_letter_pdf(case: ExitCase) -> bytes:
    if case.state not in LETTER_STATES:
        raise TransitionNotAllowed("退出尚未确认，没有告知书。")
    recognition = case.recognition
    policy = policies.get(recognition.policy_code)
    issuing = OrgUnit.objects.filter(code=recognition.approving_unit_id).values_list("name", flat=True).first()
    html = render_to_string(
        "pdf/exit_letter.html",
        {
            "case": case,
            "recognition": recognition,
            "policy": policy,
            "name": recognition.applicant.name,
            "id_number": mask(recognition.applicant.id_number),
            "issuing_unit": issuing or "",
            "reverify_article": REVERIFY_ARTICLE.get(policy.code, ""),
            "deciding_body": DECIDING_BODY.get(policy.code, ""),
            "fraud": case.reason == "fraud",
            "printed_at": timezone.localtime(),
        },
    )
    return render(html)


def exit_letter_response(request: HttpRequest, case: ExitCase) -> HttpResponse:
    """The caller has passed the access gate; the download is audited (under the recognition)."""
    response = pdf_response(
        exit_letter_pdf(case),
        filename=f"取消就业困难人员认定告知书-{mask_name(case.recognition.applicant.name)}-退出{case.pk}.pdf",
        fallback=f"exit-letter-{case.pk}.pdf",
    )
    return audit.downloaded(
        request,
        response,
        object_type="recognition",
        object_id=case.recognition_id,
        document="exit_letter",
        exit_case=case.pk,
    )
