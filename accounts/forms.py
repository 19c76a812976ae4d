from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts import idnumber
from accounts.models import Role, User


class ApplicantRegistrationForm(BaseUserCreationForm):
    """Applicants sign in with their ID number; the account sees only their own cases."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    phone = forms.RegexField(
        label=_("手机号码"), regex=r"^1\d{10}$", error_messages={"invalid": _("请输入11位手机号码。")}
    )

    class Meta:
        model = User
        fields = ["full_name", "id_number", "phone"]

    def clean_id_number(self):
        try:
            number = idnumber.parse(self.cleaned_data["id_number"]).number
        except idnumber.InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None
        if User.objects.filter(id_number=number).exists() or User.objects.filter(username=number).exists():
            raise forms.ValidationError(_("该身份证号已注册，请直接登录。"))
        return number

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = self.cleaned_data["id_number"]
        user.role = Role.APPLICANT
        if commit:
            user.save()
        return user
