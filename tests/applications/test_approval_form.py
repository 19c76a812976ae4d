"""The approval form as a filed form (issue 11 item 7): signature and date lines and seal areas for 申请人 and each
level, a Chinese file name without the full name or ID number, and no page left nearly empty before a page break."""

import re
import subprocess
from urllib.parse import unquote

from accounts.idnumber import mask_name
from accounts.models import AuditEvent
from applications.pdf import approval_form_pdf
from tests.conftest import api_as
from tests.factories import ApplicationFactory, transition

PAGE_HEIGHT = 841.89  # A4 in points
BOTTOM_MARGIN = 18 / 25.4 * 72  # templates/pdf/approval_form.html @page


def text_of(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return out.decode()


def lowest_text_on_page(data: bytes, page: int) -> float:
    """How far down the page its content reaches (the page number in the margin left out), in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', out)]
    return max(y for y in bottoms if y < PAGE_HEIGHT - BOTTOM_MARGIN)


def test_the_form_has_signature_lines_seal_areas_and_a_chinese_name(community_user, county_user):
    application = ApplicationFactory(actor=community_user, state="approved")
    response = api_as(county_user).get(f"/api/v1/applications/{application.pk}/approval-form.pdf")
    flat = "".join(text_of(response.content).split())
    assert "申请人（签字）" in flat and flat.count("经办人：") == 3 and flat.count("负责人：") == 3
    assert flat.count("（盖章）") == 3 and "第1页共1页" in flat
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1])
    masked = mask_name(application.applicant.name)
    assert name == f"新疆维吾尔自治区就业困难人员申请认定审批表-{masked}-{application.reference}.pdf"
    assert application.applicant.id_number not in response["Content-Disposition"]
    events = AuditEvent.objects.filter(actor=county_user, object_type="application", object_id=str(application.pk))
    reading = events.exclude(action="transition")  # the county's own approval is in the trail too
    assert sorted(reading.values_list("action", flat=True)) == ["download", "view_full_id"]


def test_a_two_page_form_fills_its_first_page(community_user):
    application = ApplicationFactory(actor=community_user, state="initial_review")
    reason = "经入户核查，申请人家庭收入情况与申报不一致，" * 40  # a long finding pushes the form onto a second page
    application = transition(application, "fail_initial_review", community_user, reason=reason)
    data = approval_form_pdf(application)
    assert text_of(data).count("\f") == 2
    assert lowest_text_on_page(data, 1) > 0.85 * (PAGE_HEIGHT - BOTTOM_MARGIN)
