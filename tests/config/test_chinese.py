"""Issue 11 item 9: the admin and the models speak Chinese, with full-width punctuation, and no raw codes."""

import re

import pytest
from django.apps import apps
from django.contrib import admin

from applications.models import State
from tests.factories import ApplicationFactory

OUR_APPS = {"accounts", "eligibility", "applications", "publicity", "exits", "outreach", "reports"}
CJK = re.compile(r"[\u4e00-\u9fff]")
HALF_WIDTH = re.compile(r"[(),:;?!]")


def labels():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        yield model._meta.label, "", model._meta.verbose_name
        yield model._meta.label, "", model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if (field.auto_created and not field.concrete) or field.name == "id":
                continue
            yield model._meta.label, field.name, field.verbose_name
            yield model._meta.label, field.name, getattr(field, "help_text", "")
            for _code, label in getattr(field, "choices", None) or []:
                yield model._meta.label, field.name, label


def test_every_model_field_and_choice_has_a_chinese_label_with_full_width_punctuation():
    untranslated = [(m, f, str(t)) for m, f, t in labels() if str(t) and not CJK.search(str(t))]
    half_width = [(m, f, str(t)) for m, f, t in labels() if HALF_WIDTH.search(str(t))]
    assert untranslated == [] and half_width == []


@pytest.mark.django_db
def test_every_admin_page_is_chinese_and_shows_labels_not_codes(client, admin_user, community_user):
    application = ApplicationFactory(actor=community_user, state=State.INITIAL_REVIEW)
    client.force_login(admin_user)
    for model in admin.site._registry:
        meta = model._meta
        page = client.get(f"/admin/{meta.app_label}/{meta.model_name}/", HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200, meta.label
        body = page.content.decode()
        assert str(meta.verbose_name_plural) in body and "Select " not in body, meta.label
    changelist = client.get("/admin/applications/application/").content.decode()
    assert "初审" in changelist and "新人社规〔2025〕1号" in changelist
    assert ">initial_review<" not in changelist and ">xinjiang-2025<" not in changelist

    detail = client.get(f"/admin/applications/application/{application.pk}/change/").content.decode()
    assert "facts-table" in detail and "有劳动能力" in detail and "<td>是</td>" in detail
    assert '"able_to_work"' not in detail and "able_to_work" not in detail
    assert "收到申请" in detail and "提交申请" in detail  # the log: action and states by their names
    assert ">submitted<" not in detail and ">community<" not in detail
