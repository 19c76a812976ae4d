"""The public pages on a 390 px phone, in a real Chromium (/progress/ and /self-check/)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.applications.test_progress_support import act, make_id, on, receive, upload_all, user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", "viewport": PHONE}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_progress_shows_a_timeline_that_fits_a_phone(page, live_server, demo):
    community = user("xj_community")
    number = make_id("650102", date(1979, 1, 1))
    with on(date(2025, 11, 3)):
        application = receive(community, unit_code="650102001001", name="阿依努尔", id_number=number)
        upload_all(community, application)
        act(application, "accept", community)
    page.goto(f"{live_server.url}/progress/")
    page.get_by_label("受理编号").fill(application.reference)
    page.get_by_label("身份证号").fill(number)
    page.get_by_role("button", name="查询").click()
    steps = page.locator("ol.timeline-steps li")
    expect(steps).to_have_count(6)
    expect(steps.nth(2)).to_contain_text("初审")
    expect(steps.nth(2)).to_contain_text("办理中")
    expect(page.locator(".progress-page")).to_contain_text("阿**尔")
    assert fits(page)


def test_self_check_walks_from_a_county_to_a_decision_on_a_phone(page, live_server, demo):
    page.goto(f"{live_server.url}/self-check/")
    page.get_by_label("常住地所在县（市、区）").select_option("650102000000")  # reloads with its communities
    page.get_by_label("常住地所在社区（村）").select_option("650102001001")
    expect(page.locator("#precheck")).to_be_visible()
    expect(page.locator("#where")).to_contain_text("当地月最低工资标准：1900 元")
    page.get_by_label("您的身份证号").fill(make_id("650102", date(1979, 1, 1)))
    page.get_by_label("您的原法定退休年龄").select_option("50")
    for label in ["在自治区行政区域内常住", "城镇区域（城镇户籍或城镇常住）", "有劳动能力", "有就业意愿"]:
        page.get_by_label(label).check()
    page.get_by_label("失业登记日期").fill("2024-01-02")
    expect(page.locator("#decision")).to_contain_text("您符合")
    expect(page.locator("#decision")).to_contain_text("第五条(七)")
    assert fits(page)


def test_a_public_notice_reads_on_a_phone_without_scrolling_sideways(page, live_server, demo):
    """A review found the notice's five-column table scrolling sideways at 390 px: each person is a card."""
    from tests.factories import ApplicationFactory, NoticeFactory

    cases = [ApplicationFactory(state="pending_notice") for _ in range(2)]
    notice = NoticeFactory(applications=cases, state="published")
    page.goto(f"{live_server.url}/notices/{notice.pk}/")
    cards = page.locator("table.lines tbody tr")
    expect(cards).to_have_count(2)
    assert cards.first.evaluate("row => getComputedStyle(row).display") == "block"  # a card, not a table row
    assert fits(page)
