"""xj_community enters an application; xj_township and xj_county approve it from their queues."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from applications.models import Application, State
from publicity.models import Notice

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或身份证号").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}/queue/")


def test_three_officers_take_an_application_to_recognition(page, live_server, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    base = live_server.url

    sign_in(page, base, "xj_community")
    page.get_by_role("link", name="录入申请").click()
    page.get_by_label("姓名", exact=True).fill("古丽米热")
    page.get_by_label("身份证号").fill("650102198502021246")
    expect(page.locator("#id-summary")).to_contain_text("1985-02-02")
    page.get_by_label("原法定退休年龄（女性）").select_option("50")
    page.get_by_label("联系电话").fill("13900001111")
    page.get_by_label("常住地址").fill("东风路8号")
    page.get_by_label("失业登记日期").fill("2025-03-01")
    page.get_by_label("正在享受最低生活保障待遇").check()
    expect(page.locator("#decision")).to_contain_text("第五条(二)")
    page.get_by_label("保证申请材料和承诺事项真实").check()  # commitments start unticked: the person says each one
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("已收到申请")

    for _ in range(3):  # the checklist: ID card, household register, 低保证
        page.locator("form.upload input[type=file]").set_input_files(str(scan))
        page.locator("form.upload").get_by_role("button", name="上传").click()
        expect(page.locator(".messages")).to_contain_text("材料已保存")
    page.get_by_role("button", name="材料齐全，受理").click()
    expect(page.locator(".state")).to_have_text("初审")
    page.locator("#opinion-pass_initial_review").fill("情况属实，同意上报。")
    page.get_by_role("button", name="初审通过").click()
    expect(page.locator(".state")).to_have_text("待公示")

    # The notice: a batch, published (drafted and dated two weeks back, so its 3 working days are over), closed.
    page.get_by_role("link", name="公示", exact=True).click()
    expect(page.get_by_text("待公示的申请")).to_be_visible()
    page.get_by_label("监督电话").fill("0991-1234567")
    page.get_by_role("button", name="生成公示草稿").click()
    expect(page.locator(".messages")).to_contain_text("公示草稿已生成")
    Notice.objects.update(created_at=timezone.now() - timedelta(days=14))  # a notice is not dated before its draft
    page.get_by_label("发布日期").fill(str(timezone.localdate() - timedelta(days=14)))
    page.get_by_role("button", name="发布公示").click()
    expect(page.locator(".messages")).to_contain_text("公示已发布")
    page.get_by_role("button", name="公示期满，结束公示").click()
    expect(page.locator(".messages")).to_contain_text("公示已结束")
    application = Application.objects.get()

    sign_in(page, base, "xj_township")
    row = page.get_by_role("row", name="古丽米热")
    expect(row).to_contain_text("复核")
    row.get_by_role("link").click()
    page.get_by_role("button", name="复核通过").click()
    expect(page.locator(".state")).to_have_text("审批")

    sign_in(page, base, "xj_county")
    page.get_by_role("row", name="古丽米热").get_by_role("checkbox").check()
    page.get_by_label("操作").select_option("county_approve")
    page.get_by_role("button", name="下一步：核对所选申请").click()
    expect(page.get_by_text("将对以下 1 件申请逐件执行“审批认定通过”")).to_be_visible()
    page.get_by_role("button", name="确认对这 1 件申请执行“审批认定通过”").click()
    expect(page.get_by_text("成功 1 件，未办理 0 件")).to_be_visible()
    page.get_by_role("link", name=application.reference).click()
    expect(page.locator(".state")).to_have_text("认定通过")
    expect(page.locator(".opinion")).to_have_count(3)

    application.refresh_from_db()
    assert application.state == State.APPROVED and application.recognition.active
