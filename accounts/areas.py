"""12-digit statistical area codes (统计用区划代码): levels, prefixes, ancestors.

province PP0000000000 → prefecture PPCC00000000 → county PPCCDD000000
→ township PPCCDDTTT000 → community/village PPCCDDTTTVVV.
"""

import re

_CODE = re.compile(r"^\d{12}$")
# (level, length of the significant prefix)
_LEVELS = (("province", 2), ("prefecture", 4), ("county", 6), ("township", 9), ("community", 12))


def is_valid(code: str) -> bool:
    return bool(_CODE.match(code or "")) and code[:2] != "00"


def level(code: str) -> str:
    for name, length in _LEVELS:
        if set(code[length:]) <= {"0"}:
            return name
    raise ValueError(code)


def prefix(code: str) -> str:
    """The significant digits of a code: every unit below it starts with them."""
    lengths = dict(_LEVELS)
    return code[: lengths[level(code)]]


def ancestors(code: str) -> list[str]:
    """Codes of the units above `code`, from the province down (not including `code`)."""
    own = len(prefix(code))
    return [code[:length].ljust(12, "0") for _, length in _LEVELS if length < own]


def province(code: str) -> str:
    return code[:2] + "0" * 10


def prefix_length(level_name: str) -> int:
    """The significant digits of a unit at `level_name`: 9 for a township."""
    return dict(_LEVELS)[level_name]


def ancestor_at(code: str, level_name: str) -> str:
    """The code of the unit at `level_name` above (or at) `code`: 650102001001 at county → 650102000000."""
    lengths = dict(_LEVELS)
    if lengths[level_name] > len(prefix(code)):
        raise ValueError(f"{code} 不在{level_name}级之下。")
    return code[: lengths[level_name]].ljust(12, "0")
