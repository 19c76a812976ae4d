"""Demo organisation tree and users of API.md, created idempotently by `seed_demo`."""

from decimal import Decimal

from django.db import transaction

from accounts import areas
from accounts.models import OrgUnit, Role, User

DEMO_PASSWORD = "demo-pass-2025"  # noqa: S105 - documented demo credential, refused with DEBUG off

# (code, name, attributes)
UNITS = [
    ("650000000000", "新疆维吾尔自治区", {"policy_code": "xinjiang-2025"}),
    ("650100000000", "乌鲁木齐市", {}),
    ("650102000000", "乌鲁木齐市天山区", {}),
    ("650102001000", "天山区燕儿窝街道", {}),
    ("650102001001", "燕儿窝街道东风社区", {"is_urban": True, "minimum_monthly_wage": Decimal("1900")}),
    ("650102002000", "天山区胜利路街道", {}),
    ("650102002001", "胜利路街道新华社区", {"is_urban": True}),
    ("653100000000", "喀什地区", {}),
    ("653101000000", "喀什市", {"south_xinjiang": True, "relaxed_unemployment_months": 6}),
    ("653101001000", "喀什市多来特巴格乡", {"is_urban": False}),
    ("653101001001", "多来特巴格乡阿亚格买里村", {"is_urban": False, "accepts_applications": False}),
    ("220000000000", "吉林省", {"policy_code": "jilin-2022"}),
    ("220100000000", "长春市", {}),
    ("220102000000", "长春市南关区", {}),
    ("220102001000", "南关区永吉街道", {}),
    ("220102001001", "永吉街道东岭社区", {"is_urban": True, "minimum_monthly_wage": Decimal("1880")}),
]

# (username, role, unit code, full name)
USERS = [
    ("xj_province", Role.PROVINCE, "650000000000", "自治区人社厅 李华"),
    ("xj_county", Role.COUNTY, "650102000000", "天山区人社局 王建国"),
    ("xj_township", Role.TOWNSHIP, "650102001000", "燕儿窝街道 阿依古丽"),
    ("xj_community", Role.COMMUNITY, "650102001001", "东风社区 张敏"),
    ("xj_township2", Role.TOWNSHIP, "650102002000", "胜利路街道 马军"),
    ("xj_community2", Role.COMMUNITY, "650102002001", "新华社区 古丽娜"),
    ("ks_county", Role.COUNTY, "653101000000", "喀什市人社局 买买提"),
    ("ks_township", Role.TOWNSHIP, "653101001000", "多来特巴格乡 热依拉"),
    ("jl_province", Role.PROVINCE, "220000000000", "吉林省人社厅 赵刚"),
    ("jl_county", Role.COUNTY, "220102000000", "南关区就业服务局 刘洋"),
    ("jl_township", Role.TOWNSHIP, "220102001000", "永吉街道 陈静"),
    ("jl_community", Role.COMMUNITY, "220102001001", "东岭社区 孙丽"),
]


@transaction.atomic
def seed_demo() -> dict:
    units_created = 0
    for code, name, attrs in UNITS:
        unit = OrgUnit.objects.filter(code=code).first() or OrgUnit(code=code)
        units_created += unit._state.adding
        unit.name = name
        unit.parent = _nearest_parent(code)
        for field, value in attrs.items():
            setattr(unit, field, value)
        unit.full_clean()
        unit.save()

    users_created = 0
    for username, role, unit_code, full_name in USERS:
        user, created = User.objects.update_or_create(
            username=username, defaults={"role": role, "unit_id": unit_code, "full_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            users_created += 1

    admin, created = User.objects.update_or_create(
        username="admin",
        defaults={"role": Role.ADMIN, "unit": None, "is_staff": True, "is_superuser": True, "full_name": "系统管理员"},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
        users_created += 1
    return {"units_created": units_created, "users_created": users_created}


def _nearest_parent(code: str) -> OrgUnit | None:
    for ancestor in reversed(areas.ancestors(code)):
        unit = OrgUnit.objects.filter(code=ancestor).first()
        if unit:
            return unit
    return None
