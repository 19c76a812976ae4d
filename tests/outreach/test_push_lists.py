"""POST /api/v1/push-lists/ (新人社规〔2025〕1号 第十三条): good, bad, duplicate, already-recognised and
open-application rows, dry run and real, scope, routing to a township where the village cannot accept."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.models import Application
from outreach.models import Person, PushedPerson, PushList, PushListState
from outreach.tasks import run_push_list
from tests.conftest import api_as
from tests.factories import ApplicationFactory, PersonFactory, make_id, staff
from tests.outreach.helpers import push, row, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(demo, community_user):
    good = row()
    recognised = ApplicationFactory(actor=community_user, state="approved").applicant
    open_case = ApplicationFactory(actor=community_user).applicant
    bad_checksum = {**row(), "id_number": good["id_number"][:17] + ("0" if good["id_number"][17] != "0" else "1")}
    return [
        good,  # row 2
        bad_checksum,  # 3
        row(unit_code="650199001001"),  # 4 unknown unit
        {**row(), "id_number": good["id_number"], "name": "重复"},  # 5 duplicate of row 2
        row(person={**PersonFactory(), "id_number": recognised.id_number}),  # 6 recognised
        row(person={**PersonFactory(), "id_number": open_case.id_number}),  # 7 open application
        row(unit_code="220102001001"),  # 8 outside the 自治区
        row(
            receiving_dibao=False, unemployment_registered_on=str(timezone.localdate() - timedelta(days=30))
        ),  # 9 no category
        {**row(), "unemployment_registered_on": "2024-13-01"},  # 10 bad date
    ]


def test_it_reports_bad_and_skipped_rows_in_a_dry_run_and_stores_nothing(province_user, mixed):
    response = push(province_user, mixed, dry_run=True)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] is None and body["pushed"] == 0
    assert body["rows"] == 9 and body["would_push"] == 2 and body["eligible"] == 1
    bad = {b["row"]: b["errors"] for b in body["bad"]}
    assert sorted(bad) == [3, 4, 5, 8, 10]
    assert "校验位" in bad[3][0]
    assert "未知的单位" in bad[4][0]
    assert "与第2行重复" in bad[5][0]
    assert "不在本单位辖区" in bad[8][0]
    assert bad[10][0].startswith("失业登记日期：")
    skipped = {s["row"]: s["reason"] for s in body["skipped"]}
    assert skipped == {6: "已被认定为就业困难人员（认定有效）。", 7: "已有正在办理的认定申请。"}
    assert not PushedPerson.objects.exists() and not PushList.objects.exists() and not Person.objects.exists()


def test_a_checksum_valid_number_born_past_the_calendar_is_a_bad_row(province_user):
    far_future = row(person=PersonFactory(id_number=make_id(date(9937, 1, 1))))
    response = push(province_user, [row(), far_future], dry_run=True)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["would_push"] == 1
    assert body["bad"] == [{"row": 3, "errors": ["身份证号：身份证号中的出生日期不存在。"]}]


def test_it_pushes_the_good_rows_to_the_community_of_residence(province_user, mixed, community_user):
    response = push(province_user, mixed)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "done" and body["pushed"] == 2 and body["processed"] == 9
    assert [b["row"] for b in body["bad"]] == [3, 4, 5, 8, 10]
    people = {p.row: p for p in PushedPerson.objects.all()}
    assert sorted(people) == [2, 9]
    assert people[2].eligible and people[2].receiving_unit_id == "650102001001"
    assert "dibao" in {c["code"] for c in people[2].eligibility["categories"]}
    assert not people[9].eligible
    assert people[2].due_on > people[2].pushed_on
    assert str(people[2].facts["minimum_monthly_wage"]) == "1900.00"  # the unit's, not the file's
    assert Person.objects.get(id_number=people[2].id_number).unit_id == "650102001001"  # 一人一册
    assert Application.objects.count() == 2  # the fixtures' own; nothing is applied for by a push

    again = push(province_user, [mixed[0]]).json()
    assert again["pushed"] == 0 and again["skipped"] == [{"row": 2, "reason": "已在社区（村）的待核实名单中。"}]


def test_a_village_that_cannot_accept_sends_its_rows_to_the_township(demo):
    response = push(staff("xj_province"), [row(unit_code="653101001001")])

    assert response.json()["pushed"] == 1
    pushed = PushedPerson.objects.get()
    assert (pushed.unit_id, pushed.receiving_unit_id) == ("653101001001", "653101001000")
    assert api_as(staff("ks_township")).get("/api/v1/pushed-persons/").json()["count"] == 1


def test_each_row_is_evaluated_under_its_provinces_policy_from_an_excel_file(demo):
    response = push(staff("jl_province"), xlsx_file([row(unit_code="220102001001")]))

    assert response.status_code == 201, response.json()
    pushed = PushedPerson.objects.get()
    assert pushed.policy_code == "jilin-2022" and pushed.eligible
    assert str(pushed.facts["minimum_monthly_wage"]) == "1880.00"


def test_only_province_and_prefecture_staff_push(community_user, county_user, demo):
    for user in (community_user, county_user):
        assert push(user, [row()]).status_code == 403
    assert push(staff("xj_province"), [row()]).status_code == 201


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"id_number,name\n1,2\n", "list.csv", "缺少列"),
        (b"", "list.csv", "空文件"),
        (b"\n\n", "list.csv", "缺少列"),
        (b"\xff\xfe\x00bad", "list.csv", "UTF-8"),
        (b"PK\x03\x04 not really", "list.xlsx", "Excel"),
        (b"a,b", "list.txt", ".csv 或 .xlsx"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_400_naming_the_file(province_user, content, name, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = push(province_user, SimpleUploadedFile(name, content))

    assert response.status_code == 400
    assert message in str(response.json()["file"])


def test_a_large_list_runs_in_celery_with_progress(province_user, settings, django_capture_on_commit_callbacks):
    settings.PUSH_LIST_SYNC_ROWS = 2
    rows = [row() for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = push(province_user, rows)
    assert response.status_code == 202
    queued = api_as(province_user).get(f"/api/v1/push-lists/{response.json()['id']}/").json()
    assert (queued["state"], queued["processed"], queued["rows"]) == ("queued", 0, 3)

    assert len(callbacks) == 1  # run_push_list.delay once committed
    run_push_list.apply(args=[response.json()["id"]])  # what the worker does
    run_push_list.apply(args=[response.json()["id"]])  # a second delivery finds it claimed
    done = PushList.objects.get()
    assert (done.state, done.processed, done.pushed) == (PushListState.DONE, 3, 3)
    assert not done.upload


def test_the_dry_run_of_a_large_list_is_checked_in_celery_and_pushes_nobody(province_user, settings):
    settings.PUSH_LIST_SYNC_ROWS = 2
    rows = [row(), row(), {**row(), "id_number": "650102198001010010"}]

    response = push(province_user, rows, dry_run=True)
    assert response.status_code == 202 and response.json()["dry_run"] is True
    run_push_list.apply(args=[response.json()["id"]])

    report = api_as(province_user).get(f"/api/v1/push-lists/{response.json()['id']}/").json()
    assert (report["state"], report["processed"], report["pushed"]) == ("done", 3, 0)
    assert [b["row"] for b in report["bad"]] == [4]
    assert not PushedPerson.objects.exists() and not Person.objects.exists()


def test_the_pushed_lists_are_listed_paginated_as_the_schema_documents(province_user, demo, django_assert_num_queries):
    """Issue 12, proof 2 found GET /api/v1/push-lists/ answering the {count,next,previous,results} page of every
    API list (API.md) while its schema documented a bare array."""
    from drf_spectacular.generators import SchemaGenerator

    for _ in range(3):
        push(province_user, [row()])
    client = api_as(province_user)
    with django_assert_num_queries(2):  # count and the page, nothing per list
        body = client.get("/api/v1/push-lists/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert body["results"][0]["state"] == "done"

    operation = SchemaGenerator().get_schema(public=True)["paths"]["/api/v1/push-lists/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"page", "page_size"}
    documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert documented == {"$ref": "#/components/schemas/PaginatedPushListOutputList"}
