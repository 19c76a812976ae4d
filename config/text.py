"""Text input hygiene (issue 12 #7): control and invisible format characters (Unicode Cc/Cf, e.g. U+202E
RIGHT-TO-LEFT OVERRIDE, which reverses how a name or ID number reads on screen and in PDFs, or U+0007 BEL)
are refused with a Chinese field error in every text field of every form and serializer: names,
addresses, notes, reasons, objections, and whatever field comes later.

One check, installed once (accounts.apps) on the two base classes every text field derives from, so
no field can forget it: Django's forms.CharField.to_python and DRF's serializers.CharField
.to_internal_value. Tab, line feed and carriage return stay allowed where text is multi-line: a form
field with a Textarea widget, and API text (JSON), whose one-line fields strip surrounding whitespace."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MESSAGE = _("不能包含控制字符或不可见的格式字符（如 U+202E、U+0007），请删除后重新输入。")
LINE_BREAKS = frozenset("\t\n\r")
# ZERO WIDTH NON-JOINER / JOINER (Cf) shape letters in Arabic-script names (Uyghur among them) and hide
# nothing about how text reads, unlike the bidirectional overrides and zero-width spaces.
JOINERS = frozenset("\u200c\u200d")


def control_characters(value: str, *, multiline: bool) -> list[str]:
    """The offending characters of `value`, as U+XXXX."""
    return [
        f"U+{ord(c):04X}"
        for c in dict.fromkeys(value)
        if unicodedata.category(c) in ("Cc", "Cf") and c not in JOINERS and not (multiline and c in LINE_BREAKS)
    ]


def validate_text(value, *, multiline: bool) -> None:
    if isinstance(value, str) and control_characters(value, multiline=multiline):
        raise ValidationError(MESSAGE, code="control_characters")


def install() -> None:
    if getattr(forms.CharField, "_text_checked", False):
        return
    form_to_python = forms.CharField.to_python
    api_to_internal_value = serializers.CharField.to_internal_value

    def checked_to_python(self, value):
        value = form_to_python(self, value)
        validate_text(value, multiline=isinstance(self.widget, forms.Textarea))
        return value

    def checked_to_internal_value(self, data):
        value = api_to_internal_value(self, data)
        if isinstance(value, str) and control_characters(value, multiline=True):
            raise serializers.ValidationError(str(MESSAGE), code="control_characters")
        return value

    forms.CharField.to_python = checked_to_python
    serializers.CharField.to_internal_value = checked_to_internal_value
    forms.CharField._text_checked = True
