import pytest

from accounts.models import User
from tests.conftest import api_as
from tests.factories import ApplicationFactory


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_runs_a_fixed_number_of_queries(demo, django_assert_num_queries, rows):
    ApplicationFactory.create_batch(rows)
    client = api_as(User.objects.select_related("unit").get(username="xj_county"))
    with django_assert_num_queries(2):  # count + one page with applicant and unit joined
        body = client.get("/api/v1/applications/?page_size=50").json()
    assert len(body["results"]) == rows
