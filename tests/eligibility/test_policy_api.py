"""The public policy catalogue (API.md "Policies (public, no login)")."""

from io import StringIO

import pytest
from django.core.management import call_command

SUMMARY_KEYS = {"code", "document", "title", "province", "valid_from", "valid_until"}
DETAIL_KEYS = SUMMARY_KEYS | {
    "basic_requirements",
    "categories",
    "exclusions",
    "materials",
    "commitments",
    "exit_reasons",
    "procedure",
}


def test_it_lists_the_policies_without_login(api, db):
    response = api.get("/api/v1/policies/")
    assert response.status_code == 200
    body = response.json()
    assert [p["code"] for p in body] == ["xinjiang-2025", "jilin-2022"]
    assert all(set(p) >= SUMMARY_KEYS for p in body)
    xinjiang, jilin = body
    assert {k: xinjiang[k] for k in SUMMARY_KEYS} == {
        "code": "xinjiang-2025",
        "document": "新人社规〔2025〕1号",
        "title": "新疆维吾尔自治区就业困难人员认定管理办法",
        "province": "65",
        "valid_from": "2025-10-10",
        "valid_until": "2030-10-09",
    }
    assert (jilin["document"], jilin["valid_from"], jilin["valid_until"]) == (
        "吉人社发〔2022〕10号",
        "2022-05-10",
        None,
    )


def test_a_policy_in_full(api, db):
    response = api.get("/api/v1/policies/xinjiang-2025/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= DETAIL_KEYS
    assert [r["code"] for r in body["basic_requirements"]] == [
        "in_jurisdiction",
        "working_age",
        "able_to_work",
        "willing_to_work",
        "registered_unemployed",
    ]
    assert body["basic_requirements"][0] == {
        "code": "in_jurisdiction",
        "label": "自治区行政区域内（常住）",
        "article": "第五条",
    }
    assert {"code": "older", "label": "大龄人员", "article": "第五条(一)"} in body["categories"]
    assert {"code": "receiving_pension", "label": "已领取养老保险待遇", "article": "第六条(四)"} in body["exclusions"]
    materials = {m["code"]: m for m in body["materials"]}
    assert materials["id_card"] == {
        "code": "id_card",
        "label": "本人身份证或社会保障卡",
        "article": "第八条(一)",
        "categories": [],
    }
    assert materials["dibao_certificate"]["categories"] == ["dibao"]
    commitments = {c["code"]: c for c in body["commitments"]}
    assert commitments["truthfulness"]["required"] is True and commitments["family_income"]["required"] is False
    assert set(commitments["truthfulness"]) == {"code", "text", "article", "required"}
    exits = {r["code"]: r for r in body["exit_reasons"]}
    assert exits["lost_contact"]["article"] == "第十六条(八)" and "连续6个月" in exits["lost_contact"]["label"]
    assert all(set(r) == {"code", "label", "article"} for r in body["exit_reasons"])
    procedure = body["procedure"]
    assert (procedure["township_review"], procedure["whole_working_days"]) == (True, None)
    assert procedure["stage_working_days"] == {"initial_review": 2, "township_review": 2, "county_review": 2}


def test_jilin_has_one_limit_for_the_whole_procedure(api, db):
    body = api.get("/api/v1/policies/jilin-2022/").json()
    assert body["procedure"]["township_review"] is False
    assert (body["procedure"]["stage_working_days"], body["procedure"]["whole_working_days"]) == ({}, 10)
    assert [c["code"] for c in body["commitments"]] == ["truthfulness"]
    assert "moved_out_of_province" in {r["code"] for r in body["exit_reasons"]}


def test_an_unknown_policy_is_404(api, db):
    assert api.get("/api/v1/policies/beijing-2030/").status_code == 404


def test_a_stale_token_does_not_lock_the_public_out(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert api.get("/api/v1/policies/").status_code == 200
    assert api.get("/api/v1/policies/jilin-2022/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/policies/", "/api/v1/policies/jilin-2022/"])
def test_it_is_read_only(api, db, path):
    assert api.post(path, {}, format="json").status_code == 405


def test_the_schema_describes_the_catalogue_without_warnings():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert "/api/v1/policies/{code}/:" in schema and "exit_reasons" in schema and "stage_working_days" in schema
