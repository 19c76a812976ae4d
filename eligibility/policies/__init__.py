"""The registry of regional policies. A new regional document is a new module added here."""

from datetime import date, timedelta

from eligibility.policies import jilin_2022, xinjiang_2025
from eligibility.policies.base import Policy

POLICIES: dict[str, Policy] = {p.code: p for p in (xinjiang_2025.policy, jilin_2022.policy)}


def label(code: str) -> str:
    """How pages and the admin name a policy: its region and document number, never its code."""
    policy = POLICIES.get(code)
    return f"{policy.province_name}（{policy.document}）" if policy else code


def categories_for_province(province_code: str) -> list[tuple[str, str]]:
    """(code, label) of the categories of every policy of the province (a successor's new ones after
    the old ones), as the policy texts name them: what a queue there can be filtered by. No province
    (an admin): every policy's."""
    found = {}
    for policy in POLICIES.values():
        if not province_code or province_code.startswith(policy.province):
            found.update({rule.code: rule.label for rule in policy.categories if rule.code not in found})
    return list(found.items())


class UnknownPolicy(LookupError):
    pass


def get(code: str) -> Policy:
    try:
        return POLICIES[code]
    except KeyError:
        raise UnknownPolicy(f"未知的政策代码：{code}。可选：{'、'.join(POLICIES)}") from None


def for_province(province_code: str, on: date) -> Policy:
    """The policy that governs an application received on `on` in that province."""
    for policy in POLICIES.values():
        if province_code.startswith(policy.province) and policy.in_force(on):
            return policy
    raise UnknownPolicy(f"{on} 时该地区没有有效的就业困难人员认定政策。")


# DESIGN.md §3: admins and the province are warned from 90 days before a policy's end
EXPIRY_WARNING_DAYS = 90


def successor(policy: Policy) -> Policy | None:
    """The policy registered to govern the province from the day after `policy` ends."""
    if policy.valid_until is None:
        return None
    after = policy.valid_until + timedelta(days=1)
    return next(
        (p for p in POLICIES.values() if p is not policy and p.province == policy.province and p.in_force(after)),
        None,
    )


def expiring(on: date, within_days: int = EXPIRY_WARNING_DAYS) -> list[Policy]:
    """Policies ending within `within_days` of `on` (or already ended) with no successor registered:
    once one ends, its province cannot receive applications until a new document is entered
    (xinjiang-2025 第二十一条: 有效期五年)."""
    return [
        p
        for p in POLICIES.values()
        if p.valid_until is not None and on >= p.valid_until - timedelta(days=within_days) and successor(p) is None
    ]
