import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_community_worker_signs_in_and_sees_the_queue(page, live_server, demo):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名或身份证号").fill("xj_community")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/queue/")
    expect(page.get_by_role("heading", name="受理与初审")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("燕儿窝街道东风社区")
    expect(page.get_by_text("暂无待办申请。")).to_be_visible()


def test_a_wrong_password_is_explained_in_chinese(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或身份证号").fill("xj_community")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")
