"""Dates in the facts cannot lie after the evaluation date (defect 13): 9999-12-31 as a graduation date
made jilin-2022 一(一)7 add two years past the calendar's end and answer 500."""

from datetime import date

import pytest

from eligibility.engine import FactError
from tests.conftest import api_as
from tests.eligibility.helpers import decide
from tests.factories import make_id

FACTS = {
    "id_number": make_id(date(1990, 1, 1), "M", region="220102"),
    "local_hukou": True,
    "able_to_work": True,
    "willing_to_work": True,
    "unemployment_registered_on": "2025-01-02",
    "full_time_domestic_graduate": True,
}


def evaluate(client, facts, as_of="2026-01-02"):
    body = {"policy": "jilin-2022", "as_of": as_of, "facts": {**FACTS, **facts}}
    return client.post("/api/v1/eligibility/evaluate", body, format="json")


def test_a_graduation_date_at_the_end_of_the_calendar_is_a_400_naming_it(community_user):
    response = evaluate(api_as(community_user), {"graduated_on": "9999-12-31"})
    assert response.status_code == 400
    assert response.json() == {"facts": {"graduated_on": ["离校（毕业）日期不能晚于评估日期。"]}}


def test_a_graduation_date_after_the_evaluation_date_is_refused():
    with pytest.raises(FactError) as info:
        decide("jilin-2022", date(2026, 3, 16), graduated_on=date(2026, 3, 17), full_time_domestic_graduate=True)
    assert info.value.field == "graduated_on"


def test_a_graduation_on_the_evaluation_date_is_a_fact_like_any_other(community_user):
    body = evaluate(api_as(community_user), {"graduated_on": "2024-01-02"}).json()
    assert [c["code"] for c in body["categories"]] == ["graduate"]  # 一(一)7: 离校2年及以上
    assert evaluate(api_as(community_user), {"graduated_on": "2026-01-02"}).json()["categories"] == []


@pytest.mark.parametrize("facts", [{}, {"graduated_on": "9999-06-30"}, {"unemployment_registered_on": "9999-06-30"}])
def test_an_evaluation_date_at_the_end_of_the_calendar_is_a_400_not_a_500(community_user, facts):
    response = evaluate(api_as(community_user), facts, as_of="9999-12-31")
    assert response.status_code == 400
    assert list(response.json()) == ["as_of"]
