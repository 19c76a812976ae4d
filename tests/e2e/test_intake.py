"""Intake in Chromium (issue 11, item 3): the duplicate check fires as the ID number is typed, with a
link to the case; the verdict is repeated beside the submit button on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_procedure import sign_in
from tests.factories import ApplicationFactory, staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (390, 844, "phone")])
def test_typing_a_known_id_number_shows_the_open_case(page, live_server, demo, tmp_path, settings, width, height, name):
    settings.MEDIA_ROOT = tmp_path
    case = ApplicationFactory(actor=staff("xj_community"))
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, "xj_community")
    page.goto(f"{live_server.url}/applications/new/")
    page.get_by_label("身份证号").fill(case.applicant.id_number)
    duplicate = page.locator("#duplicate")
    expect(duplicate).to_contain_text("已有正在办理的申请")
    expect(duplicate.get_by_role("link", name="查看该申请")).to_have_attribute("href", f"/applications/{case.pk}/")
    page.get_by_label("身份证号").fill("650102198502021246")  # a woman with no case
    expect(duplicate).to_be_hidden()
    expect(page.get_by_label("原法定退休年龄（女性）")).to_be_visible()
    page.get_by_label("原法定退休年龄（女性）").select_option("50")
    page.get_by_label("失业登记日期").fill("2025-03-01")
    page.get_by_label("正在享受最低生活保障待遇").check()
    expect(page.locator("#decision")).to_contain_text("第五条(二)")
    expect(page.locator("#verdict-mini")).to_have_text(re.compile("^符合就业困难人员认定条件"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/work/shots/desk/intake-{name}.png", full_page=True)


def test_a_refused_intake_shows_each_error_once(page, live_server, demo):
    """A review found errors twice under a field: the page drawn again after a submit showed the server's,
    and the live pre-check it starts added its own copy of each."""
    sign_in(page, live_server.url, "xj_community")
    page.goto(f"{live_server.url}/applications/new/")
    page.get_by_label("姓名").fill("阿依古丽")
    page.get_by_label("身份证号").fill("650102198502021246")  # a woman, her original retirement age not chosen
    page.get_by_label("失业登记日期").fill("2025-03-01")
    page.get_by_label("正在享受最低生活保障待遇").check()
    page.locator("#precheck button[type=submit]").first.click()
    message = "请选择女性申请人的原法定退休年龄（50岁或55岁）。"
    expect(page.locator(".field .error", has_text=message).first).to_be_visible()
    page.wait_for_timeout(800)  # the live pre-check the page starts has answered
    expect(page.locator("#decision")).not_to_be_empty()
    assert page.locator(".field .error", has_text=message).count() == 1
