"""Excel exports (DESIGN.md §11, API.md "Oversight"): every list with its filters, IDs masked unless
a county-level officer asks, a fixed number of queries, and large ones built by Celery as a job."""

import io
from datetime import datetime
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.idnumber import mask
from accounts.models import AuditEvent
from applications.models import State
from reports.models import ExportJob
from tests.conftest import api_as
from tests.factories import ApplicationFactory, NoticeFactory, staff
from tests.reports.test_stats import clone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def cases(demo, community_user):
    return {state: ApplicationFactory(actor=community_user, state=state) for state in (State.APPROVED, State.SUBMITTED)}


def sheet_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(body)).active


def rows_of(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_applications_export_opens_with_chinese_headers_and_masked_ids(cases, county_user):
    response = api_as(county_user).get("/api/v1/applications/export.xlsx", {"state": "all"})
    sheet = sheet_of(response)
    assert sheet.freeze_panes == "A2"
    assert int(sheet.column_dimensions["C"].width) == 21  # 21 characters, stored with Excel's padding (21.71)
    rows = rows_of(sheet)
    assert len(rows) == 2
    approved = cases[State.APPROVED]
    row = next(r for r in rows if r["受理编号"] == approved.reference)
    assert row["身份证号"] == mask(approved.applicant.id_number) != approved.applicant.id_number
    assert row["联系电话"].count("*") == 4
    assert row["状态"] == "认定通过" and row["就业困难类型"] == "低保人员、连续失业1年及以上人员"
    assert isinstance(row["收到日期"], datetime) and row["收到日期"].date() == approved.received_on
    disposition = unquote(response["Content-Disposition"])
    assert "attachment" in disposition and "就业困难人员认定申请_" in disposition


def test_text_that_looks_like_a_formula_or_a_link_stays_text(demo, community_user, county_user):
    """A name typed as a formula or a link is the person's name in the officer's Excel: opening the file
    runs nothing and opens nothing (formula injection, CWE-1236). openpyxl stored "=…" as a formula."""
    names = ['=HYPERLINK("http://example.com/x","点此核对")', "http://example.com/x"]
    for name in names:
        ApplicationFactory(actor=community_user, person__name=name)
    sheet = sheet_of(api_as(county_user).get("/api/v1/applications/export.xlsx", {"state": "all"}))
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == sorted(names)
    assert {cell.data_type for cell in cells} == {"s"}
    assert not any(cell.hyperlink for cell in cells)


def test_it_filters_like_the_queue(cases, county_user, client):
    api = api_as(county_user)
    rows = rows_of(sheet_of(api.get("/api/v1/applications/export.xlsx", {"state": "approved"})))
    assert [r["受理编号"] for r in rows] == [cases[State.APPROVED].reference]
    client.force_login(county_user)
    query = {"state": "open", "unit": "650102001000", "received_from": "2000-01-01"}
    listed = [row["reference"] for row in client.get("/queue/", query).context["rows"]]
    exported = [r["受理编号"] for r in rows_of(sheet_of(api.get("/api/v1/applications/export.xlsx", query)))]
    assert exported == listed == [cases[State.SUBMITTED].reference]
    assert api.get("/api/v1/applications/export.xlsx", {"received_from": "yesterday"}).status_code == 400


def test_the_api_export_takes_the_lists_filters_as_the_list_does(cases, county_user):
    """API.md: the export has "the list's filters": no state is every state, and unit_code is a unit or a
    prefix, as GET /api/v1/applications/ reads them (it exported the county's to-do alone, and refused a
    prefix under the name `unit`)."""
    api = api_as(county_user)
    for query in ({}, {"unit_code": "650102001001"}, {"unit_code": "650102001"}, {"unit_code": "650102"}):
        listed = sorted(r["reference"] for r in api.get("/api/v1/applications/", query).json()["results"])
        exported = sorted(r["受理编号"] for r in rows_of(sheet_of(api.get("/api/v1/applications/export.xlsx", query))))
        assert exported == listed and len(listed) == 2, query
    other = {"unit_code": "650103"}
    assert api.get("/api/v1/applications/", other).json()["results"] == []
    assert rows_of(sheet_of(api.get("/api/v1/applications/export.xlsx", other))) == []


def test_full_ids_are_for_county_and_above(cases, community_user, county_user, province_user):
    url = "/api/v1/applications/export.xlsx?state=all&full_ids=true"
    assert api_as(community_user).get(url).status_code == 403
    number = cases[State.APPROVED].applicant.id_number
    for user in (county_user, province_user):
        assert number in [r["身份证号"] for r in rows_of(sheet_of(api_as(user).get(url)))]
    assert api_as(county_user).get(url.replace("true", "maybe")).status_code == 400
    event = AuditEvent.objects.filter(action="export").order_by("-id").first()
    assert (event.actor, event.object_type) == (province_user, "applications")
    assert event.detail == {"filters": {"state": "all"}, "full_ids": True, "rows": 2}


def test_every_export_is_audited(cases, community_user):
    before = AuditEvent.objects.filter(action="export").count()
    for kind in ("applications", "recognitions", "notices"):
        sheet_of(api_as(community_user).get(f"/api/v1/{kind}/export.xlsx"))
    events = AuditEvent.objects.filter(action="export").order_by("id")[before:]
    assert [(e.object_type, e.detail["full_ids"]) for e in events] == [
        ("applications", False),
        ("recognitions", False),
        ("notices", False),
    ]


def test_applicants_cannot_export(demo, applicant):
    for kind in ("applications", "recognitions", "notices"):
        assert api_as(applicant).get(f"/api/v1/{kind}/export.xlsx").status_code == 403


def test_the_query_count_does_not_grow_with_the_rows(cases, county_user):
    api = api_as(county_user)
    with CaptureQueriesContext(connection) as few:
        sheet_of(api.get("/api/v1/applications/export.xlsx", {"state": "all"}))
    clone(cases[State.SUBMITTED], 300)
    with CaptureQueriesContext(connection) as many:
        sheet = sheet_of(api.get("/api/v1/applications/export.xlsx", {"state": "all"}))
    assert sheet.max_row == 303
    assert len(many) == len(few)


def test_the_recognitions_and_notices_exports(cases, county_user, community_user):
    rows = rows_of(sheet_of(api_as(county_user).get("/api/v1/recognitions/export.xlsx")))
    person = cases[State.APPROVED].applicant
    assert [(r["姓名"], r["身份证号"], r["状态"]) for r in rows] == [(person.name, mask(person.id_number), "有效")]
    assert isinstance(rows[0]["认定日期"], datetime)
    notice = NoticeFactory(actor=community_user, state="published")
    rows = rows_of(sheet_of(api_as(community_user).get("/api/v1/notices/export.xlsx", {"state": "published"})))
    line = notice.lines.get()
    published = [r for r in rows if r["公示标题"] == notice.title]
    assert [(r["姓名"], r["身份证号"]) for r in published] == [(line.name, line.masked_id_number)]
    assert api_as(community_user).get("/api/v1/notices/export.xlsx", {"state": "nonsense"}).status_code == 400


@pytest.fixture
def eager(settings):
    from config.celery import app

    settings.EXPORT_ASYNC_ROWS = 2
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_a_large_export_is_a_job_built_by_celery(cases, county_user, eager, django_capture_on_commit_callbacks):
    clone(cases[State.SUBMITTED], 5)
    api = api_as(county_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.get("/api/v1/applications/export.xlsx", {"state": "all"})
    assert response.status_code == 202, response.content
    job = response.json()
    assert set(job) >= {"id", "state", "progress", "download_url"} and job["state"] == "pending"
    polled = api.get(response["Location"]).json()
    assert (polled["state"], polled["progress"], polled["written"]) == ("done", 100, 7)
    download = api.get(polled["download_url"])
    assert len(rows_of(sheet_of(download))) == 7
    assert AuditEvent.objects.filter(action="download", object_type="export", object_id=str(job["id"])).exists()
    assert AuditEvent.objects.get(action="export").detail["job"] == job["id"]
    assert "filename*=utf-8''" in download["Content-Disposition"].lower()
    stored = ExportJob.objects.get(pk=job["id"])
    assert stored.file.name.startswith(f"exports/{county_user.pk}/")
    # the job is its owner's alone
    for other in (staff("xj_province"), staff("ks_county")):
        assert api_as(other).get(response["Location"]).status_code == 404
        assert api_as(other).get(polled["download_url"]).status_code == 404


def test_the_pages_export_and_follow_a_job(
    cases, county_user, client, eager, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_ROWS = 1
    client.force_login(county_user)
    queue = client.get("/queue/", {"state": "all"}).content.decode()
    assert "/exports/applications.xlsx?state=all" in queue and "full_ids=true" in queue
    response = client.get("/exports/applications.xlsx", {"state": "approved"})
    assert len(rows_of(sheet_of(response))) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/exports/applications.xlsx", {"state": "all"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "下载文件" in page.content.decode()
    job = page.context["job"]
    assert len(rows_of(sheet_of(client.get(f"/exports/{job.pk}/download")))) == 2
    client.force_login(staff("xj_province"))
    assert client.get(f"/exports/{job.pk}/").status_code == 404


def test_the_list_pages_offer_the_export(demo, client):
    client.force_login(staff("xj_community"))
    assert "/exports/notices.xlsx" in client.get("/staff/notices/").content.decode()
    assert "full_ids=true" not in client.get("/queue/").content.decode()  # below county level
    client.force_login(staff("xj_county"))
    assert "/exports/recognitions.xlsx?" in client.get("/recognitions/").content.decode()


def test_a_masked_phone_keeps_its_ends():
    from reports.exports import mask_phone

    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""
