import os
import subprocess

import pytest

from tests.conftest import api_as
from tests.exits.helpers import jilin_recognised, recognised
from tests.factories import staff

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return out.decode()


def confirmed_letter(community, county, recognition, **body) -> bytes:
    case = api_as(community).post(f"/api/v1/recognitions/{recognition.pk}/exits/", body, format="json").json()
    letter = api_as(county).get(f"/api/v1/exits/{case['id']}/letter.pdf")
    assert letter.status_code == 409  # no letter before confirmation
    api_as(county).post(f"/api/v1/exits/{case['id']}/confirm/", {}, format="json")
    response = api_as(county).get(f"/api/v1/exits/{case['id']}/letter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    if folder := os.environ.get("EXIT_LETTER_DIR"):  # to look at it: pdftoppm -png -r 60
        with open(os.path.join(folder, f"exit-letter-{recognition.policy_code}.pdf"), "wb") as f:
            f.write(pdf)
    return pdf


def test_the_letter_states_the_reason_the_article_and_the_30_days(community_user, county_user):
    r = recognised()
    text = text_of(confirmed_letter(community_user, county_user, r, reason="fraud", note="隐瞒营业执照"))
    assert "取消就业困难人员认定告知书" in text and r.applicant.name in text
    assert "第十六条(六)" in text and "30日内" in text and "第十九条" in text and "追回" in text
    assert "天山区" in text and "新人社规〔2025〕1号" in text
    assert r.applicant.id_number not in text  # masked


def test_jilin_letter_cites_part_three(demo):
    r = jilin_recognised()
    text = text_of(confirmed_letter(staff("jl_community"), staff("jl_county"), r, reason="moved_out_of_province"))
    assert "三(三)" in text and "吉人社发〔2022〕10号" in text and "30日内" in text and "第十九条" not in text
