"""资格预审 in Chromium: a woman's original retirement age is asked only once her ID number is typed."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_original_retirement_age_shows_only_for_a_woman(page, live_server, community_user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或身份证号").fill("xj_community")
    page.get_by_label("密码").fill("demo-pass-2025")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="资格预审").click()

    age = page.get_by_label("原法定退休年龄（女性）")
    expect(age).to_be_hidden()
    page.get_by_label("身份证号").fill("650102197901011235")  # 17th digit 3: a man
    expect(page.locator("#id-summary")).to_contain_text("男")
    expect(age).to_be_hidden()
    page.get_by_label("失业登记日期").fill("2024-01-02")
    expect(page.locator("#decision")).to_contain_text("符合就业困难人员认定条件")

    page.get_by_label("身份证号").fill("650102197403011240")  # 17th digit 4: a woman born 1974-03-01
    expect(age).to_be_visible()
    expect(age).to_have_value("")
    expect(page.locator(".field .error.live")).to_contain_text("原法定退休年龄")
    age.select_option("55")
    expect(page.locator("#id-summary")).to_contain_text("2030-04-01")
    expect(page.locator(".field .error.live")).to_have_count(0)

    page.get_by_label("适用政策").select_option("jilin-2022")  # a policy switch keeps it shown for her
    expect(age).to_be_visible()
    page.get_by_label("身份证号").fill("65010219740301124")  # 17 digits typed: already hers
    expect(age).to_be_visible()
