"""The public progress look-up under odd input and methods: never a 500, and no timing tell between an
unknown reference and a wrong ID number."""

import statistics
import time
from datetime import date

import pytest
from rest_framework.test import APIClient

from config.throttling import ProgressThrottle
from tests.applications.test_progress_support import make_id, on, receive, user


@pytest.fixture
def case(demo):
    with on(date(2025, 11, 3)):
        return receive(
            user("xj_community"), unit_code="650102001001", name="阿依尔", id_number=make_id("650102", date(1979, 1, 1))
        )


def post(body):
    return APIClient().post("/api/v1/progress/", body, format="json")


def test_an_unknown_reference_and_a_wrong_pair_take_the_same_time_to_an_order_of_magnitude(case, monkeypatch):
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "1000/min")
    wrong_pair = {"reference": case.reference, "id_number": make_id("650102", date(1985, 3, 3))}
    unknown = {"reference": "65010220990101999999", "id_number": case.applicant.id_number}

    def median(body) -> float:
        times = []
        for _ in range(15):
            start = time.perf_counter()
            assert post(body).status_code == 404
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    post(wrong_pair), post(unknown)  # warm up
    a, b = median(wrong_pair), median(unknown)
    assert max(a, b) / min(a, b) < 10, (a, b)  # the same one query either way


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_are_405_not_500(db, method):
    assert getattr(APIClient(), method)("/api/v1/progress/").status_code == 405


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_page_refuses_other_methods(client, db, method):
    assert getattr(client, method)("/progress/").status_code == 405


@pytest.mark.parametrize(
    "body",
    [
        {"reference": "", "id_number": ""},
        {"reference": " ", "id_number": "\x00"},
        {"reference": "6501022025110300000１", "id_number": "x"},
        {"reference": True, "id_number": False},
        {"reference": 1.5, "id_number": [1, 2]},
        {"reference": "'; DROP TABLE applications_application; --", "id_number": "<script>"},
    ],
)
def test_odd_values_are_a_400(db, body):
    assert post(body).status_code == 400


def test_a_list_body_is_a_400(db):
    assert APIClient().post("/api/v1/progress/", [1, 2], format="json").status_code == 400


def test_a_form_encoded_body_works_too(case):
    response = APIClient().post(
        "/api/v1/progress/", {"reference": case.reference, "id_number": case.applicant.id_number}
    )
    assert response.status_code == 200


def test_the_page_takes_odd_values_without_a_500(client, db):
    for data in [{}, {"reference": "\x00" * 10, "id_number": "Ⅹ" * 40}, {"reference": ["a", "b"]}]:
        assert client.post("/progress/", data).status_code == 400
