"""A person with a phone (390×844): registers, applies online with an upload, verifies by a code sent to
the phone the record holds, answers a one-time notice, follows the case to its approval and downloads
the letter. The officers' steps go through the same services their pages call."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import sms
from accounts.models import User
from applications.models import Application, State
from applications.workflow import application_transition
from publicity.services import notice_close, notice_create, notice_publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "650102198703031248"  # a woman born 1987
PASSWORD = "Rey-ila-2026-pass"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def next_step(page):
    page.get_by_role("button", name="保存并下一步").click()


def test_a_person_applies_on_a_phone_and_follows_the_case_to_its_letter(page, live_server, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()
    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG)
    base = live_server.url
    community = User.objects.select_related("unit").get(username="xj_community")

    page.goto(f"{base}/accounts/register/")
    page.get_by_label("姓名").fill("热依拉")
    page.get_by_label("身份证号").fill(ID_NUMBER)
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    page.goto(f"{base}/my/")
    page.get_by_role("link", name="网上申请认定").click()

    page.get_by_label("常住地址").fill("东风路3号")
    page.get_by_label("常住地所在县（市、区）").select_option("650102000000")
    page.get_by_label("常住地所在社区（村）").select_option("650102001001")
    next_step(page)
    for label in ("在自治区行政区域内常住", "城镇区域（城镇户籍或城镇常住）", "有劳动能力", "有就业意愿"):
        page.get_by_label(label).check()
    page.get_by_label("失业登记日期").fill("2025-01-02")
    page.get_by_label("原法定退休年龄（女性）").select_option("55")
    next_step(page)
    page.get_by_label("正在享受最低生活保障待遇").check()
    next_step(page)
    next_step(page)  # no exclusion applies
    expect(page.locator(".decision")).to_contain_text("符合就业困难人员认定条件")
    page.get_by_label("保证申请材料和承诺事项真实，如有虚假愿承担相应责任（第十二条）").check()
    page.get_by_role("button", name="提交申请").click()

    # no record existed: the case is the person's once the phone it gives receives the code
    expect(page.locator(".messages")).to_contain_text("申请已提交")
    page.get_by_role("button", name="获取短信验证码").click()
    code = sms.outbox[-1].text.split("验证码 ")[1][:6]
    assert sms.outbox[-1].to == "13912345678"
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="验证", exact=True).click()
    page.goto(f"{base}/my/")
    application = Application.objects.get()
    page.get_by_role("link", name=application.reference).click()
    expect(page.locator(".next-step")).to_contain_text("下一步：上传材料")
    page.locator("form.upload select").select_option("id_card")
    page.locator("form.upload input[type=file]").set_input_files(str(scan))
    page.locator("form.upload").get_by_role("button", name="上传").click()
    expect(page.locator(".messages")).to_contain_text("材料已保存")

    # the community asks, once, for everything still missing (一次性告知)
    application_transition(
        application_id=application.pk,
        name="request_materials",
        actor=community,
        missing_materials=["household_register", "dibao_certificate"],
    )
    page.reload()
    expect(page.locator(".next-step")).to_contain_text("按一次性告知书补正材料")
    for kind in ("household_register", "dibao_certificate"):
        page.locator("form.upload select").select_option(kind)
        page.locator("form.upload input[type=file]").set_input_files(str(scan))
        page.locator("form.upload").get_by_role("button", name="上传").click()
        expect(page.locator(".messages")).to_contain_text("材料已保存")
    page.get_by_role("button", name="补正完毕").click()
    expect(page.locator(".state")).to_have_text("收到申请")

    # the officers: accept, initial review, a 3-working-day notice, township and county
    for name in ("accept", "pass_initial_review"):
        application_transition(application_id=application.pk, name=name, actor=community)
    notice = notice_create(
        actor=community,
        unit_code=community.unit_id,
        application_ids=[application.pk],
        supervision_phone="0991-1234567",
        contact_person="张敏",
        agency_name="东风社区服务站",
    )
    notice = notice_publish(actor=community, notice_id=notice.pk)
    notice_close(notice_id=notice.pk, actor=None, today=notice.period_end + timedelta(days=1))
    for username, name in (("xj_township", "township_approve"), ("xj_county", "county_approve")):
        officer = User.objects.select_related("unit").get(username=username)
        application_transition(application_id=application.pk, name=name, actor=officer)
    assert Application.objects.get(pk=application.pk).state == State.APPROVED

    page.reload()
    expect(page.locator(".next-step")).to_contain_text("已认定为就业困难人员")
    expect(page.locator(".timeline-steps")).to_contain_text("审批")
    link = page.get_by_role("link", name="下载认定结果告知书（PDF）")
    letter = page.context.request.get(base + link.get_attribute("href"))  # with the person's session
    assert letter.status == 200 and letter.body().startswith(b"%PDF")
    page.goto(f"{base}/accounts/notifications/")
    expect(page.locator("main")).to_contain_text("审批认定通过")
    assert timezone.localdate() >= application.received_on
