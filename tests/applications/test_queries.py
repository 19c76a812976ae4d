from datetime import date

import pytest

from accounts.models import User
from applications.services import application_create
from eligibility.facts import Facts
from tests.conftest import api_as
from tests.eligibility.helpers import make_id


def create_many(n: int):
    community = User.objects.select_related("unit").get(username="xj_community")
    for i in range(n):
        number = make_id(date(1970, 1, 1 + i % 28), "F", seq=i)
        application_create(
            actor=community,
            unit_code="650102001001",
            channel="offline",
            applicant={"name": f"申请人{i}"},
            facts=Facts(
                id_number=number,
                female_original_retirement_age=50,
                local_resident=True,
                urban=True,
                able_to_work=True,
                willing_to_work=True,
                unemployment_registered_on=date(2025, 1, 2),
            ),
            commitments=["truthfulness"],
        )


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_runs_a_fixed_number_of_queries(demo, django_assert_num_queries, rows):
    create_many(rows)
    client = api_as(User.objects.select_related("unit").get(username="xj_county"))
    with django_assert_num_queries(2):  # count + one page with applicant and unit joined
        body = client.get("/api/v1/applications/?page_size=50").json()
    assert len(body["results"]) == rows
