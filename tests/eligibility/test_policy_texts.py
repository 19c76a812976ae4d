"""Policy text lives on the policy: document numbers, issuer and the titles of the forms it prescribes
come from `Policy`, so a PDF or page never names Xinjiang's form for a Jilin case."""

import subprocess
from pathlib import Path

import pytest

from accounts.models import User
from applications.pdf import approval_form_pdf
from eligibility import policies
from publicity import pdf as notice_pdf
from publicity.models import Notice
from tests.factories import ApplicationFactory, NoticeFactory

XJ, JL = policies.get("xinjiang-2025"), policies.get("jilin-2022")


def text_of(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return "".join(out.decode().split())


def test_each_policy_carries_its_own_texts():
    assert (XJ.province_name, XJ.issuer) == ("新疆维吾尔自治区", "新疆维吾尔自治区人力资源和社会保障厅")
    assert (JL.province_name, JL.issuer) == ("吉林省", "吉林省人力资源和社会保障厅")
    assert XJ.approval_form_title == "新疆维吾尔自治区就业困难人员申请认定审批表"  # 附件2
    assert (JL.approval_form_title, JL.approval_form_short) == ("吉林省就业困难人员申请认定表", "认定表")  # 二(一)
    assert XJ.approval_form_short == "审批表"
    assert XJ.notice_heading == "新疆维吾尔自治区就业困难人员初审公示"  # 附件3
    assert XJ.notice_list_heading == "就业困难人员初审公示名单"
    assert JL.notice_heading == "就业困难人员初审公示"  # 二(二) prescribes no template: its own step name
    assert str(XJ.issued_on) == "2025-09-05" and str(JL.issued_on) == "2022-05-10"


TEXTS = Path("/work/shared/policies")  # the full texts (DESIGN.md); not shipped with the code


@pytest.mark.skipif(not TEXTS.is_dir(), reason="the policy texts are not on this machine")
@pytest.mark.parametrize(("policy", "name"), [(XJ, "000_8d1c5fb9dcfe5637"), (JL, "001_39efa8a3b2bc5cfb")])
def test_the_texts_are_in_the_policy_itself(policy, name):
    flat = "".join((TEXTS / f"{name}.txt").read_text().split())
    texts = [policy.document, policy.title, policy.issuer, policy.approval_form_title, policy.approval_form_short]
    if policy is XJ:  # 附件3; Jilin's 二(二) names the step (初审公示) but prescribes no notice template
        texts += [policy.notice_heading, policy.notice_list_heading]
    for text in texts:
        assert "".join(text.split()) in flat, text


def test_the_notice_heading_comes_from_the_policy(community_user, monkeypatch):
    notice = Notice(policy_code="jilin-2022")
    assert notice_pdf.heading(notice) == JL.notice_heading
    monkeypatch.setattr(XJ, "notice_heading", "测试自治区初审公示")
    monkeypatch.setattr(XJ, "notice_list_heading", "测试公示名单")
    notice = NoticeFactory(actor=community_user)
    text = text_of(notice_pdf.render(notice))
    assert "测试自治区初审公示" in text and "测试公示名单" in text
    assert "新疆维吾尔自治区就业困难人员初审公示" not in text


def test_the_approval_form_title_comes_from_the_policy(demo, monkeypatch):
    app = ApplicationFactory(actor=User.objects.get(username="jl_community"))
    text = text_of(approval_form_pdf(app))
    assert "吉林省就业困难人员申请认定表" in text and "吉人社发〔2022〕10号" in text
    assert "审批表" not in text
    monkeypatch.setattr(JL, "approval_form_title", "测试认定表")
    assert "测试认定表" in text_of(approval_form_pdf(app))
