import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_id_number_fills_birth_date_and_the_decision_updates_as_you_type(page, live_server, community_user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或身份证号").fill("xj_community")
    page.get_by_label("密码").fill("demo-pass-2025")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="资格预审").click()

    expect(page.get_by_label("具有本省户籍")).to_be_hidden()  # a Jilin fact under the Xinjiang policy
    page.get_by_label("身份证号").fill("650102197901011234")
    expect(page.locator(".field .error.live")).to_contain_text("校验位不正确")
    page.get_by_label("身份证号").fill("650102197901011235")
    expect(page.locator("#id-summary")).to_contain_text("1979-01-01")
    expect(page.locator("#id-summary")).to_contain_text("男")
    expect(page.locator(".field .error.live")).to_have_count(0)

    page.get_by_label("失业登记日期").fill("2024-01-02")
    expect(page.locator("#decision")).to_contain_text("符合就业困难人员认定条件")
    expect(page.locator("#decision")).to_contain_text("第五条(七)")
    page.get_by_label("有就业意愿").uncheck()
    expect(page.locator("#decision")).to_contain_text("不符合就业困难人员认定条件")

    page.get_by_label("适用政策").select_option("jilin-2022")
    expect(page.get_by_label("具有本省户籍")).to_be_visible()
    expect(page.get_by_label("退役军人")).to_be_hidden()
