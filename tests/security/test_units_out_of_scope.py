"""A unit named in a request body outside the caller's scope is answered as an unknown one: 404, the
same body (API.md "Errors"). It was 403 ("only the handling unit's staff…"), which told the caller the
unit exists. A unit in scope that the caller may not act for stays 403."""

import pytest

from tests.accounts.identity_helpers import person, submit
from tests.conftest import api_as
from tests.factories import ApplicationFactory, staff

OTHER_COUNTY_COMMUNITY = "653101001001"  # Kashgar
JILIN_COMMUNITY = "220102001001"
NOWHERE = "659999999999"


@pytest.mark.parametrize("unit_code", [OTHER_COUNTY_COMMUNITY, JILIN_COMMUNITY, NOWHERE])
def test_an_application_for_a_unit_out_of_scope_is_not_found(community_user, unit_code):
    response = submit(community_user, person(41), unit_code=unit_code)
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}


def test_a_unit_in_scope_the_officer_does_not_handle_is_refused(county_user):
    response = submit(county_user, person(42))  # the county oversees the community; it does not receive
    assert response.status_code == 403


@pytest.mark.parametrize("unit_code", ["650102001002", "653101001000", NOWHERE])
def test_a_notice_for_a_unit_out_of_scope_is_not_found(community_user, unit_code):
    case = ApplicationFactory(actor=community_user, state="pending_notice")
    body = {
        "unit_code": unit_code,
        "application_ids": [case.pk],
        "supervision_phone": "12333",
        "contact_person": "王芳",
        "agency_name": "天山区人社局",
    }
    response = api_as(community_user).post("/api/v1/notices/", body, format="json")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
    in_scope = body | {"unit_code": community_user.unit_id}
    assert api_as(staff("xj_county")).post("/api/v1/notices/", in_scope, format="json").status_code == 403
