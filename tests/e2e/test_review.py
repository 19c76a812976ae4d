"""A county officer reviews a case that went through the whole procedure with everything on one
screen (facts with articles, typed materials, the notice with its period, the objection with its
finding, the timeline), then approves it after a confirmation (issue 11, item 1 and 2)."""

import pytest
from playwright.sync_api import expect

from applications.models import Application, State
from tests.applications.full_case import case_through_the_whole_procedure
from tests.e2e.test_procedure import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_county_officer_reviews_with_the_whole_context_and_approves(page, live_server, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    application = case_through_the_whole_procedure()
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "xj_county")
    page.get_by_role("row", name="古丽米热").get_by_role("link").first.click()

    facts = page.locator("#facts")
    expect(facts).to_contain_text("正在享受最低生活保障待遇")
    expect(facts).to_contain_text("第五条(二)")  # the category with its article
    expect(facts).to_contain_text("当地月最低工资标准")
    materials = page.locator("#materials table")
    expect(materials).to_contain_text("本人身份证或社会保障卡")
    expect(materials).not_to_contain_text(".png")
    notice = page.locator("#notices")
    expect(notice).to_contain_text("公示期")
    expect(notice).to_contain_text("经核实，该店铺已于2024年注销。")
    timeline = page.locator("#timeline")
    for text in (
        "提交申请",
        "初审通过",
        "发布公示",
        "公示结束",
        "复核通过",
        "街道（乡镇）经办人员",
        "经复核，情况属实。",
    ):
        expect(timeline).to_contain_text(text)
    page.screenshot(path="/work/shots/desk/review-desktop.png", full_page=True)

    page.get_by_role("button", name="审批认定通过…").click()
    expect(page.get_by_role("heading", name="确认“审批认定通过”？")).to_be_visible()
    page.screenshot(path="/work/shots/desk/confirm-approve-desktop.png")
    assert Application.objects.get(pk=application.pk).state == State.COUNTY_REVIEW  # nothing done yet
    page.get_by_role("button", name="确认审批认定通过").click()
    expect(page.locator(".messages")).to_contain_text("已办理：审批认定通过")
    expect(page.locator(".state").first).to_have_text("认定通过")
    assert Application.objects.get(pk=application.pk).state == State.APPROVED


def test_on_a_phone_the_decision_panel_is_one_tap_away(page, live_server, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    application = case_through_the_whole_procedure()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "xj_county")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.screenshot(path="/work/shots/desk/review-phone.png", full_page=True)
    page.get_by_role("link", name="转到办理").click()
    expect(page.get_by_role("button", name="审批认定通过…")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.get_by_role("button", name="审批不通过…").click()
    page.screenshot(path="/work/shots/desk/confirm-reject-phone.png", full_page=True)
    expect(page.get_by_role("alert")).to_contain_text("请填写不通过的原因")
