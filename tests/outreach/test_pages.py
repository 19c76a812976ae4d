"""The outreach pages: pushing a list, the work list (cards, a fixed number of queries), household visits,
the register 一人一册 with its history, a surveyed person put on the work list, and the conversion figures."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from applications.models import Application, Channel
from outreach.models import Origin, Person, PushedPerson, PushedState, PushList
from tests.conftest import api_as
from tests.factories import PersonFactory, staff
from tests.outreach.helpers import csv_file, push, row

pytestmark = pytest.mark.django_db


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(staff(username))
    return client


def test_a_province_officer_checks_then_pushes_a_list_from_the_page(demo):
    client = client_of("xj_province")
    rows = [row(), {**row(), "id_number": "650102198001010010"}]

    checked = client.post("/outreach/push-lists/", {"file": csv_file(rows), "dry_run": "1"})
    assert checked.status_code == 200
    assert "检查结果（未推送）" in checked.text and "校验位" in checked.text
    assert not PushList.objects.exists()

    pushed = client.post("/outreach/push-lists/", {"file": csv_file(rows)}, follow=True)
    assert pushed.status_code == 200 and "已推送 1 人。" in pushed.text
    assert "推送 1 人，有误 1 行" in pushed.text
    empty = client.post("/outreach/push-lists/", {})
    assert "请选择要上传的名单文件" in empty.text
    assert client_of("xj_community").post("/outreach/push-lists/", {"file": csv_file(rows)}).status_code == 403
    assert PushList.objects.count() == 1


def test_the_work_list_page_shows_cards_with_articles_in_a_fixed_number_of_queries(demo, django_assert_num_queries):
    client = client_of("xj_community")
    push(staff("xj_province"), [row() for _ in range(2)])
    client.get("/outreach/work-list/")
    with django_assert_num_queries(6):  # the same for 2 cards and for 8
        page = client.get("/outreach/work-list/")
    push(staff("xj_province"), [row() for _ in range(6)])
    with django_assert_num_queries(6):
        more = client.get("/outreach/work-list/")

    assert page.status_code == 200 and more.text.count('class="pcard"') == 8
    assert "第五条" in page.text and "联系核实期限" in page.text and "记录同意并生成申请" in page.text


def test_consent_from_the_page_opens_the_application(demo):
    push(staff("xj_province"), [row()])
    pushed = PushedPerson.objects.get()
    client = client_of("xj_community")

    refused = client.post(f"/outreach/work-list/{pushed.pk}/consent/", {"method": ""}, follow=True)
    assert "请选择本人同意的方式" in refused.text and not Application.objects.exists()
    done = client.post(f"/outreach/work-list/{pushed.pk}/consent/", {"method": "phone", "note": "电话确认"})
    application = Application.objects.get()
    assert done.status_code == 302 and done.url == f"/applications/{application.pk}/"
    assert application.channel == Channel.PROACTIVE
    record = Person.objects.get(id_number=pushed.id_number)
    assert "本人同意申报（电话确认）" in client.get(f"/outreach/persons/{record.pk}/").text
    assert client.post(f"/outreach/work-list/{pushed.pk}/decline/", {"reason": "x"}, follow=True).status_code == 200
    pushed.refresh_from_db()
    assert pushed.state == PushedState.CONSENTED
    assert (
        client_of("xj_community2").post(f"/outreach/work-list/{pushed.pk}/decline/", {"reason": "x"}).status_code == 404
    )


def test_a_household_visit_keeps_the_register_current_with_its_history(demo):
    client = client_of("xj_community")
    person = PersonFactory()
    visit = {
        "id_number": person["id_number"],
        "name": person["name"],
        "unit_code": "650102001001",
        "visited_on": timezone.localdate().isoformat(),
        "findings": "夫妻二人均无工作，孩子上学。",
        "job_wishes": "保洁",
        "service_needs": ["job"],
    }
    first = client.post("/outreach/visits/", visit)
    record = Person.objects.get(id_number=person["id_number"])
    assert first.status_code == 302 and first.url == f"/outreach/persons/{record.pk}/"
    client.post("/outreach/visits/", {**visit, "job_wishes": "家政", "service_needs": ["job", "training"]})

    record.refresh_from_db()
    assert (record.job_wishes, record.service_needs) == ("家政", ["job", "training"])
    history = list(record.changes.order_by("id"))
    assert [c.event for c in history] == ["visit", "visit"]
    assert history[1].changes["job_wishes"] == ["保洁", "家政"]
    page = client.get(f"/outreach/persons/{record.pk}/")
    assert "服务需求：就业需求 → 就业需求、培训需求" in page.text and "求职意愿：保洁 → 家政" in page.text
    assert client_of("xj_community2").get(f"/outreach/persons/{record.pk}/").status_code == 404
    assert client_of("xj_county").get("/outreach/persons/").text.count(person["name"]) == 1

    bad = client.post("/outreach/visits/", {**visit, "id_number": "650102198001010010"}, follow=True)
    assert "校验位" in bad.text and record.visits.count() == 2


def test_a_person_met_in_a_survey_goes_onto_the_work_list_and_needs_consent(demo):
    client = client_of("xj_community")
    person = PersonFactory()
    client.post(
        "/outreach/visits/",
        {
            "id_number": person["id_number"],
            "name": person["name"],
            "visited_on": timezone.localdate().isoformat(),
            "findings": "登记失业两年，享受低保。",
        },
    )
    visit = Person.objects.get().visits.get()

    response = client.post(
        f"/outreach/visits/{visit.pk}/work-list/",
        {
            **dict.fromkeys(("local_hukou", "local_resident", "urban", "able_to_work", "willing_to_work"), "on"),
            "receiving_dibao": "on",
            "unemployment_registered_on": "2024-01-02",
        },
    )

    listed = PushedPerson.objects.get()
    assert response.status_code == 302 and listed.origin == Origin.SURVEY and listed.eligible
    assert listed.receiving_unit_id == "650102001001" and listed.state == PushedState.PENDING
    assert not Application.objects.exists()
    assert client_of("xj_community2").post(f"/outreach/visits/{visit.pk}/work-list/", {}).status_code == 404
    again = client.post(f"/outreach/visits/{visit.pk}/work-list/", {}, follow=True)
    assert "已在待核实名单中" in again.text


def test_the_conversion_page_counts_by_child_unit(demo):
    push(staff("xj_province"), [row(), row(unit_code="653101001001")])

    page = client_of("xj_province").get("/outreach/conversion/")

    assert page.status_code == 200 and "乌鲁木齐" in page.text and "喀什" in page.text


def test_a_refused_household_visit_keeps_what_was_typed_with_the_error_at_the_field(demo):
    client = client_of("xj_community")
    person = PersonFactory()
    typed = {
        "id_number": "650102198001010010",
        "name": person["name"],
        "phone": "13900001234",
        "unit_code": "650102001001",
        "visited_on": timezone.localdate().isoformat(),
        "findings": "夫妻二人均无工作，孩子上学。",
        "job_wishes": "保洁，离家近",
        "service_needs": ["training"],
    }
    page = client.post("/outreach/visits/", typed)
    assert page.status_code == 400 and not Person.objects.filter(name=person["name"]).exists()
    for value in ("650102198001010010", person["name"], "13900001234", "保洁，离家近"):
        assert f'value="{value}"' in page.text
    assert "夫妻二人均无工作，孩子上学。</textarea>" in page.text
    assert 'value="training" checked' in page.text and 'value="job" checked' not in page.text
    field = page.text[page.text.index('name="id_number"') :]
    assert 'aria-invalid="true"' in field[:200] and "校验位" in field[: field.index('name="name"')]


def test_the_register_cites_its_own_provinces_article_and_points_to_the_recognised(demo):
    """A review found Xinjiang's register citing Jilin's 四(一), and saying it gathered applicants and
    recognised persons, whom it does not list (they are on the 认定名册)."""

    def intro(username: str) -> str:  # the page's own text, not the site's footer citing both policies
        return client_of(username).get("/outreach/persons/").text.split('<p class="muted">', 1)[1].split("</p>")[0]

    xinjiang = intro("xj_community")
    assert "第四条、第十三条" in xinjiang and "吉人社发" not in xinjiang and 'href="/recognitions/"' in xinjiang
    jilin = intro("jl_community")
    assert "吉人社发〔2022〕10号 四(一)" in jilin and "新人社规" not in jilin


def test_a_list_in_the_templates_chinese_columns_is_read_and_its_errors_name_them(demo):
    """A review found Chinese headers refused, no template, and row errors naming fields in English."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outreach.services import column_labels

    client = client_of("xj_province")
    template = client.get("/outreach/push-lists/template.csv")
    assert template.status_code == 200 and template["Content-Type"].startswith("text/csv")
    header = template.content.decode("utf-8-sig").strip().split(",")
    assert header[:4] == ["身份证号", "姓名", "常住地区划代码", "联系电话"] and "原法定退休年龄（女性）" in header

    labels = column_labels()
    rows = [row(), {**row(), "id_number": "650102198001010010"}]
    columns = list(dict.fromkeys(k for r in rows for k in r))
    text = ",".join(labels.get(c, c) for c in columns) + "\n"
    text += "\n".join(
        ",".join(str({True: "是", False: "否"}.get(r.get(c), r.get(c, ""))) for c in columns) for r in rows
    )
    upload = SimpleUploadedFile("名单.csv", text.encode("utf-8-sig"), content_type="text/csv")
    checked = client.post("/outreach/push-lists/", {"file": upload, "dry_run": "1"}).text
    assert "共 2 行：有误 1 行" in checked and "身份证号：" in checked and "id_number：" not in checked


def test_a_person_who_moves_brings_no_earlier_history_to_the_new_community(demo):
    """A household visit by another township's community moves the person into its register (the
    register follows the residence); that community then reads what it recorded itself, never the former
    community's visits, findings or the phones the person had there, on the page or through the API."""
    person = PersonFactory()
    visit = {
        "id_number": person["id_number"],
        "name": person["name"],
        "visited_on": timezone.localdate().isoformat(),
        "job_wishes": "保洁",
    }
    before = client_of("xj_community")
    before.post("/outreach/visits/", {**visit, "findings": "夫妻二人均无工作。", "phone": "13900001111"})
    before.post("/outreach/visits/", {**visit, "findings": "仍未就业。", "phone": "13900002222"})
    record = Person.objects.get(id_number=person["id_number"])

    after = client_of("xj_community2")
    moved = after.post("/outreach/visits/", {**visit, "findings": "刚搬来，在找保洁工作。"})

    record.refresh_from_db()
    assert moved.status_code == 302 and record.unit_id == "650102002001"
    page = after.get(f"/outreach/persons/{record.pk}/").text
    detail = json.dumps(api_as(staff("xj_community2")).get(f"/api/v1/persons/{record.pk}/").json(), ensure_ascii=False)
    for text in (page, detail):
        assert "刚搬来" in text
        assert "13900001111" not in text and "夫妻二人均无工作" not in text and "仍未就业" not in text
    assert "13900002222" in page  # the register's current phone: the community contacts the person by it
    listed = api_as(staff("xj_community2")).get("/api/v1/persons/").json()["results"]
    assert [(p["id"], p["visits"]) for p in listed] == [(record.pk, 1)]  # its own visit, not the three
    assert before.get(f"/outreach/persons/{record.pk}/").status_code == 404
    # the county above both keeps the whole history
    assert "夫妻二人均无工作" in client_of("xj_county").get(f"/outreach/persons/{record.pk}/").text
