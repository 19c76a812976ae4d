import pytest

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User


def sign_in(client, username, password=DEMO_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password}, follow=True)


def test_it_shows_the_login_page_in_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body and "就业困难人员认定管理系统" in body


def test_it_sends_visitors_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("username", "title"),
    [
        ("xj_community", "受理与初审"),
        ("xj_township", "复核队列"),
        ("xj_county", "审批队列"),
        ("jl_community", "受理与初审"),
        ("xj_province", "全区概览"),
    ],
)
def test_it_lands_each_staff_role_on_its_own_queue(client, demo, username, title):
    response = sign_in(client, username)
    assert response.redirect_chain[-1][0] == "/queue/"
    body = response.content.decode()
    assert f"<h1>{title}</h1>" in body
    assert User.objects.get(username=username).unit.name in body


def test_it_lands_the_admin_in_django_admin(client, demo):
    response = sign_in(client, "admin")
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "系统配置" in response.content.decode()


def test_it_says_in_chinese_when_the_password_is_wrong(client, demo):
    response = sign_in(client, "xj_community", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_it_registers_an_applicant_who_lands_on_their_own_page(client, db):
    response = client.post(
        "/accounts/register/",
        {
            "full_name": "热合曼",
            "id_number": "650102197901011235",
            "phone": "13800000000",
            "password1": "a-long-pass-2025",
            "password2": "a-long-pass-2025",
        },
        follow=True,
    )
    # DESIGN.md §10: the new account is unverified; it lands where it learns how to verify
    assert response.redirect_chain[-1][0] == "/accounts/verify/"
    assert "身份验证" in response.content.decode()
    user = User.objects.get(id_number="650102197901011235")
    assert user.role == Role.APPLICANT and user.unit is None and user.username == "650102197901011235"


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("650102197901011234", "校验位不正确"),
        ("650102790101123", "15位旧身份证号"),
        ("650102197902301235", "出生日期不存在"),
    ],
)
def test_it_refuses_a_bad_id_number_and_keeps_what_was_typed(client, db, id_number, message):
    response = client.post(
        "/accounts/register/",
        {
            "full_name": "热合曼",
            "id_number": id_number,
            "phone": "13800000000",
            "password1": "a-long-pass-2025",
            "password2": "a-long-pass-2025",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert 'value="热合曼"' in body and 'value="13800000000"' in body
    assert not User.objects.exists()


def test_it_refuses_a_second_account_for_one_id_number(client, applicant):
    response = client.post(
        "/accounts/register/",
        {
            "full_name": "x",
            "id_number": applicant.id_number,
            "phone": "13800000000",
            "password1": "a-long-pass-2025",
            "password2": "a-long-pass-2025",
        },
    )
    assert "已注册" in response.content.decode()


def test_it_keeps_applicants_out_of_staff_queues_and_staff_out_of_applicant_pages(client, applicant, community_user):
    client.force_login(applicant)
    assert client.get("/queue/").status_code == 403
    client.force_login(community_user)
    response = client.get("/my/")
    assert response.status_code == 403 and "没有权限" in response.content.decode()


def test_it_signs_out_with_a_post(client, community_user):
    client.force_login(community_user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/queue/").status_code == 302


def test_it_answers_unknown_pages_in_chinese(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "管辖范围" in response.content.decode()


def test_it_speaks_chinese_whatever_the_browser_asks(client, demo):
    """No English catalogue exists, so there is no switcher and Accept-Language: en changes nothing."""
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in body and "登录" in body and 'name="language"' not in body
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 404
    client.force_login(User.objects.get(username="admin"))
    admin_page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "认定申请" in admin_page and "Site administration" not in admin_page


def test_it_fits_a_phone_screen(client):
    assert 'name="viewport"' in client.get("/accounts/login/").content.decode()
