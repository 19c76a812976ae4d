"""Telephone numbers people give (DESIGN.md §9: bad input gets a clear error in Chinese). A contact phone
is a mainland mobile number (11 digits from 13–19) or a landline with its area code (0991-1234567, an
extension after a dash); a notice's 监督电话 may also be a five-digit public service line (12333, 12345).
Spaces and dashes a person types between digit groups are accepted and kept."""

import re

from django.core.exceptions import ValidationError

MOBILE = r"1[3-9]\d{9}"
LANDLINE = r"0\d{2,3}-?\d{7,8}(-\d{1,6})?"
SERVICE_LINE = r"1\d{4}"  # 12333 人社服务热线, 12345 政务服务便民热线

_CONTACT = re.compile(rf"(?:{MOBILE}|{LANDLINE})")
_SUPERVISION = re.compile(rf"(?:{MOBILE}|{LANDLINE}|{SERVICE_LINE})")
CONTACT_MESSAGE = "请填写11位手机号码，或带区号的固定电话（如 0991-1234567）。"
SUPERVISION_MESSAGE = "请填写监督电话：11位手机号码、带区号的固定电话（如 0991-1234567）或 12333 等服务热线。"


def _digits(value: str) -> str:
    return re.sub(r"[\s\u3000]", "", value or "").replace("—", "-").replace("－", "-")


def is_contact_phone(value: str) -> bool:
    return _CONTACT.fullmatch(_digits(value)) is not None


def is_supervision_phone(value: str) -> bool:
    return _SUPERVISION.fullmatch(_digits(value)) is not None


def validate_contact_phone(value: str) -> None:
    """A Django validator (forms and DRF serializers run it alike); an empty value is the field's own matter."""
    if value and not is_contact_phone(value):
        raise ValidationError(CONTACT_MESSAGE, code="invalid")


def validate_supervision_phone(value: str) -> None:
    if value and not is_supervision_phone(value):
        raise ValidationError(SUPERVISION_MESSAGE, code="invalid")
