import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import OrgUnit, Role, User


def test_it_requires_a_staff_role_to_sit_at_its_level(demo):
    user = User(username="x", role=Role.COMMUNITY, unit=OrgUnit.objects.get(code="650102001000"))
    with pytest.raises(ValidationError) as info:
        user.full_clean()
    assert "社区" in str(info.value.message_dict["unit"])


def test_it_refuses_staff_without_a_unit_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="orphan", role=Role.COUNTY, unit=None)


def test_it_refuses_an_applicant_with_a_unit_in_the_database(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="a", role=Role.APPLICANT, unit_id="650102001001")


def test_it_refuses_a_parent_that_is_not_a_prefix(demo):
    unit = OrgUnit(code="650102003001", name="x", parent=OrgUnit.objects.get(code="650102001000"))
    with pytest.raises(ValidationError) as info:
        unit.full_clean()
    assert "parent" in info.value.message_dict


def test_it_allows_a_policy_only_on_a_province(demo):
    unit = OrgUnit(code="650102003000", name="x", parent_id="650102000000", policy_code="xinjiang-2025")
    with pytest.raises(ValidationError) as info:
        unit.full_clean()
    assert "policy_code" in info.value.message_dict


def test_it_keeps_relaxed_months_at_six_or_more_and_in_south_xinjiang(demo):
    unit = OrgUnit(code="650102003000", name="x", parent_id="650102000000", relaxed_unemployment_months=5)
    with pytest.raises(ValidationError) as info:
        unit.full_clean()
    assert set(info.value.message_dict) == {"relaxed_unemployment_months"}


def test_it_derives_the_level_on_save(db):
    assert OrgUnit.objects.create(code="110000000000", name="北京市").level == "province"
