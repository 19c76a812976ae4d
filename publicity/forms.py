from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.phones import validate_supervision_phone


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100, required=False)
    supervision_phone = forms.CharField(label=_("监督电话"), max_length=30, validators=[validate_supervision_phone])
    contact_person = forms.CharField(label=_("联系人"), max_length=30)
    agency_name = forms.CharField(label=_("经办机构名称"), max_length=100)
    external_url = forms.URLField(label=_("外部公示网址（可选）"), required=False, assume_scheme="https")


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("发布日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class ObjectionForm(forms.Form):
    application_id = forms.TypedChoiceField(label=_("被反映人"), coerce=int)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    reporter_name = forms.CharField(label=_("反映人姓名"), max_length=50, required=False)
    reporter_contact = forms.CharField(label=_("反映人联系方式"), max_length=50, required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application_id"].choices = [(line.application_id, f"{line.seq}. {line.name}") for line in lines]


class ProofForm(forms.Form):
    photo = forms.ImageField(label=_("张贴照片"), required=False)
    url = forms.URLField(label=_("网上公示地址"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("photo") and not data.get("url"):
            raise forms.ValidationError(_("请上传张贴照片或填写网上公示地址。"))
        return data
