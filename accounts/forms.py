from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import idnumber, services
from accounts.models import User

PHONE = {
    "regex": r"^1\d{10}$",
    "error_messages": {"invalid": _("请输入11位手机号码。")},
    "widget": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
}


class ApplicantRegistrationForm(forms.Form):
    """Applicants sign in with their ID number. The account is unverified until staff see the ID card
    or a code reaches the phone on the person's record (DESIGN.md §10)."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    phone = forms.RegexField(label=_("手机号码"), **PHONE)
    password1 = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_id_number(self) -> str:
        """Checked with the other fields, so every error shows at once; account_register checks it again."""
        try:
            return services.normalize_id_number(self.cleaned_data["id_number"])
        except idnumber.InvalidIdNumber as exc:
            raise ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        if password := data.get("password1"):  # the validators compare it with the name and the number
            number = data.get("id_number", "")
            person = User(
                username=number, id_number=number, full_name=data.get("full_name", ""), phone=data.get("phone", "")
            )
            try:
                validate_password(password, person)
            except ValidationError as exc:
                self.add_error("password1", exc.messages)
        return data

    def save(self) -> User | None:
        """The account through the service (the API's path too), or None with the errors on the form."""
        data = self.cleaned_data
        try:
            return services.account_register(
                name=data["full_name"], id_number=data["id_number"], phone=data["phone"], password=data["password1"]
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error({"password": "password1", "name": "full_name"}.get(field, field), messages)
            return None


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("短信验证码"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("请输入短信中的6位数字验证码。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}),
    )


class IdNumberForm(forms.Form):
    id_number = forms.CharField(label=_("身份证号"), max_length=18)

    def clean_id_number(self):
        try:
            return services.normalize_id_number(self.cleaned_data["id_number"])
        except idnumber.InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None


class InPersonForm(forms.Form):
    """Staff saw the ID card and the person holds this account (they may confirm their phone)."""

    phone = forms.RegexField(label=_("本人手机号码（可不填）"), required=False, **PHONE)


class TakeoverForm(forms.Form):
    """Staff saw the ID card and the person did NOT register this account: it becomes theirs."""

    phone = forms.RegexField(label=_("本人手机号码"), **PHONE)
    password1 = forms.CharField(
        label=_("由本人设置的新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data
