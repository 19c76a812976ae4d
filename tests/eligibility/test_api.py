from datetime import date

import pytest

from tests.conftest import api_as
from tests.factories import make_id

FACTS = {
    "id_number": "650102197901011235",
    "local_resident": True,
    "local_hukou": True,
    "urban": True,
    "able_to_work": True,
    "willing_to_work": True,
    "unemployment_registered_on": "2025-01-02",
}


def evaluate(client, **body):
    return client.post(
        "/api/v1/eligibility/evaluate",
        {"policy": "xinjiang-2025", "as_of": "2026-01-02", "facts": FACTS, **body},
        format="json",
    )


def test_it_evaluates_with_every_article(community_user):
    response = evaluate(api_as(community_user))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["eligible"] is True
    assert (body["birth_date"], body["sex"], body["age"]) == ("1979-01-01", "M", 47)
    assert body["statutory_retirement_date"] == "2042-01-01"
    assert body["categories"] == [
        {"code": "long_term_unemployed", "label": "连续失业1年及以上人员", "article": "第五条(七)"}
    ]
    assert [r["code"] for r in body["basic_requirements"]] == [
        "in_jurisdiction",
        "working_age",
        "able_to_work",
        "willing_to_work",
        "registered_unemployed",
    ]
    assert all(r["met"] and r["article"] == "第五条" for r in body["basic_requirements"])
    assert body["unmet"] == [] and body["exclusions"] == []


def test_it_takes_the_minimum_wage_from_the_unit(community_user):
    body = evaluate(api_as(community_user), facts={**FACTS, "monthly_income": 1900}, unit_code="650102001001").json()
    assert body["parameters"]["minimum_monthly_wage"] == "1900.00"
    assert [e["code"] for e in body["exclusions"]] == ["income_at_least_minimum_wage"]
    assert body["eligible"] is False


def test_it_takes_the_relaxed_months_from_a_south_xinjiang_unit(community_user):
    facts = {**FACTS, "unemployment_registered_on": "2025-06-30"}
    client = api_as(community_user)
    assert evaluate(client, facts=facts, as_of="2025-12-30").json()["categories"] == []
    body = evaluate(client, facts=facts, as_of="2025-12-30", unit_code="653101001001").json()
    assert [c["code"] for c in body["categories"]] == ["long_term_unemployed"]
    assert body["parameters"]["south_xinjiang_relaxed_months"] == 6


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"facts": {**FACTS, "id_number": "650102197901011234"}},
            {"facts": {"id_number": ["身份证号校验位不正确，请核对后重新填写。"]}},
        ),
        ({"policy": "beijing-2030"}, {"policy": ["“beijing-2030” 不是合法选项。"]}),
        ({"as_of": "2026-02-30"}, {"as_of": ["日期格式错误。请从这些格式中选择：YYYY-MM-DD。"]}),
        (
            {"facts": {**FACTS, "unemployment_registered_on": "2026-02-01"}},
            {"facts": {"unemployment_registered_on": ["失业登记日期不能晚于评估日期。"]}},
        ),
        (
            {"facts": {**FACTS, "monthly_income": 1000}},
            {"facts": {"minimum_monthly_wage": ["有收入时需要当地月最低工资标准才能判断。"]}},
        ),
        (
            {"facts": {**FACTS, "south_xinjiang_relaxed_months": 3}},
            {"facts": {"south_xinjiang_relaxed_months": ["请确保该值大于或者等于 6。"]}},
        ),
        ({"unit_code": "220102001001"}, {"unit_code": ["该单位适用的政策是 jilin-2022。"]}),
        ({"unit_code": "999999999999"}, {"unit_code": ["没有这个单位。"]}),
        (
            {"as_of": "1970-01-01", "facts": {**FACTS, "unemployment_registered_on": None}},
            {"as_of": ["评估日期早于出生日期。"]},
        ),
        (  # checksum-valid, but the statutory retirement date would fall past year 9999
            {"facts": {**FACTS, "id_number": make_id(date(9937, 1, 1), "M")}},
            {"facts": {"id_number": ["身份证号中的出生日期不存在。"]}},
        ),
        (
            {"facts": {**FACTS, "id_number": make_id(date(9999, 1, 1), "F"), "female_original_retirement_age": 55}},
            {"facts": {"id_number": ["身份证号中的出生日期不存在。"]}},
        ),
    ],
)
def test_it_names_the_bad_field(community_user, change, errors):
    response = evaluate(api_as(community_user), **change)
    assert response.status_code == 400
    assert response.json() == errors


def test_it_needs_a_signed_in_user(api, db):
    assert evaluate(api).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("birth_date=1965-01-15&sex=M", {"age_years": 60, "age_months": 1, "date": "2025-02-15"}),
        ("birth_date=1975-01-15&sex=F&original_age=50", {"age_years": 50, "age_months": 1, "date": "2025-02-15"}),
        ("birth_date=1981-09-15&sex=F&original_age=55", {"age_years": 58, "age_months": 0, "date": "2039-09-15"}),
    ],
)
def test_it_answers_the_retirement_age(community_user, query, expected):
    response = api_as(community_user).get(f"/api/v1/eligibility/retirement?{query}")
    assert response.status_code == 200 and response.json() == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("birth_date=1965-01-15&sex=M&original_age=55", "original_age"),
        ("birth_date=1965-13-01&sex=M", "birth_date"),
        ("birth_date=1965-01-01&sex=X", "sex"),
        # a woman's original age (50 or 55) decides her delay: never guessed
        ("birth_date=1975-01-15&sex=F", "original_age"),
        ("birth_date=9999-12-31&sex=M", "birth_date"),  # was a 500 (year out of range)
        ("birth_date=1899-12-31&sex=M", "birth_date"),
    ],
)
def test_it_refuses_a_bad_retirement_query(community_user, query, field):
    response = api_as(community_user).get(f"/api/v1/eligibility/retirement?{query}")
    assert response.status_code == 400 and field in response.json()


def test_it_adds_working_days(community_user):
    client = api_as(community_user)
    assert client.get("/api/v1/calendar/add-working-days?date=2025-09-30&days=1").json() == {
        "date": "2025-10-09",
        "provisional": False,
    }
    assert client.get("/api/v1/calendar/add-working-days?date=2026-12-30&days=2").json() == {
        "date": "2027-01-04",
        "provisional": True,
    }
    assert set(client.get("/api/v1/calendar/add-working-days?date=2026-12-30&days=0").json()) == {"days"}


def test_it_computes_the_notice_period(community_user):
    client = api_as(community_user)
    assert client.get("/api/v1/calendar/notice-period?published_on=2025-10-01").json() == {
        "start": "2025-10-09",
        "end": "2025-10-11",
        "provisional": False,
    }
    assert set(client.get("/api/v1/calendar/notice-period?published_on=yesterday").json()) == {"published_on"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("add-working-days?date=9999-12-31&days=1", "date"),  # was a 500: OverflowError
        ("add-working-days?date=2100-01-01&days=1", "date"),
        ("add-working-days?date=2099-12-01&days=30", "days"),  # lands past the last supported year
        ("notice-period?published_on=2100-01-01", "published_on"),  # was a 500: lunardate has no 2100
        ("notice-period?published_on=2099-12-31", "published_on"),  # its period ends in 2100
        ("notice-period?published_on=1899-12-31", "published_on"),
        ("add-working-days?date=2026-12-30&days=2&unit_code=659999999999", "unit_code"),
        ("notice-period?published_on=2027-09-30&unit_code=65", "unit_code"),
    ],
)
def test_a_date_the_calendar_does_not_cover_is_a_400_naming_the_field(community_user, query, field):
    response = api_as(community_user).get(f"/api/v1/calendar/{query}")
    assert response.status_code == 400 and set(response.json()) == {field}


def test_the_calendar_of_a_units_province(community_user):
    """新疆: 古尔邦节 2025-06-06..10 is the 自治区's own holiday (shipped as data), not Jilin's nor the nation's."""
    client = api_as(community_user)
    url = "/api/v1/calendar/add-working-days?date=2025-06-05&days=1"
    assert client.get(f"{url}&unit_code=650102001001").json() == {"date": "2025-06-11", "provisional": False}
    assert client.get(f"{url}&unit_code=220000000000").json() == {"date": "2025-06-06", "provisional": False}
    assert client.get(url).json() == {"date": "2025-06-06", "provisional": False}
    notice = "/api/v1/calendar/notice-period?published_on=2025-03-28"
    assert client.get(f"{notice}&unit_code=650000000000").json() == {
        "start": "2025-03-28",
        "end": "2025-04-02",  # 肉孜节 3-29..31
        "provisional": False,
    }
    assert client.get(notice).json()["end"] == "2025-04-01"
