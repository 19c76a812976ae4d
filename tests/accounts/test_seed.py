import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD, UNITS, USERS
from accounts.models import OrgUnit, Role, User
from accounts.selectors import unit_settings


def test_it_seeds_every_unit_and_user_of_the_contract(demo):
    assert demo == {"units_created": len(UNITS), "users_created": len(USERS) + 1}
    expected = {
        "xj_province": ("province", "650000000000"),
        "xj_county": ("county", "650102000000"),
        "xj_township": ("township", "650102001000"),
        "xj_community": ("community", "650102001001"),
        "xj_township2": ("township", "650102002000"),
        "xj_community2": ("community", "650102002001"),
        "ks_county": ("county", "653101000000"),
        "ks_township": ("township", "653101001000"),
        "jl_province": ("province", "220000000000"),
        "jl_county": ("county", "220102000000"),
        "jl_township": ("township", "220102001000"),
        "jl_community": ("community", "220102001001"),
    }
    got = {u.username: (u.role, u.unit_id) for u in User.objects.exclude(username="admin")}
    assert got == expected
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.role == Role.ADMIN
    for prefecture in ("650100000000", "653100000000", "220100000000"):
        assert OrgUnit.objects.get(code=prefecture).level == "prefecture"


@pytest.mark.parametrize("username", ["xj_community", "jl_county", "admin"])
def test_it_lets_demo_users_sign_in(demo, username):
    assert authenticate(username=username, password=DEMO_PASSWORD) is not None


def test_it_is_idempotent(demo):
    before = list(OrgUnit.objects.values_list("code", "name", "parent_id", "level").order_by("code"))
    users = User.objects.count()
    again = call_command("seed_demo", "--force")
    assert again is None  # prints its summary
    assert list(OrgUnit.objects.values_list("code", "name", "parent_id", "level").order_by("code")) == before
    assert User.objects.count() == users


def test_it_prints_nothing_created_the_second_time(demo, capsys):
    call_command("seed_demo", "--force")
    assert capsys.readouterr().out.strip() == '{"units_created": 0, "users_created": 0}'


def test_it_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="xj_community").exists()


def test_it_seeds_with_debug_on(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert OrgUnit.objects.filter(code="220102001001").exists()


def test_it_builds_the_tree_with_parents(demo):
    assert OrgUnit.objects.get(code="650102001001").parent_id == "650102001000"
    assert OrgUnit.objects.get(code="650100000000").parent_id == "650000000000"
    assert OrgUnit.objects.get(code="650000000000").parent_id is None


def test_it_gives_units_the_attributes_the_rules_need(demo):
    village = unit_settings("653101001001")
    assert village.policy_code == "xinjiang-2025"
    assert village.south_xinjiang and village.relaxed_unemployment_months == 6
    assert not village.accepts_applications and not village.is_urban

    community = unit_settings("650102001001")
    assert community.minimum_monthly_wage == 1900 and community.accepts_applications and community.is_urban
    assert not community.south_xinjiang and community.relaxed_unemployment_months is None

    jilin = unit_settings("220102001001")
    assert jilin.policy_code == "jilin-2022" and jilin.minimum_monthly_wage == 1880


def test_it_reads_unit_settings_in_one_query(demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        unit_settings("653101001001")
