"""The registry of regional policies. A new regional document is a new module added here."""

from datetime import date

from eligibility.policies import jilin_2022, xinjiang_2025
from eligibility.policies.base import Policy

POLICIES: dict[str, Policy] = {p.code: p for p in (xinjiang_2025.policy, jilin_2022.policy)}


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
