import subprocess

import time_machine

from publicity import pdf
from publicity.models import Notice, Objection
from publicity.services import notice_publish, objection_record
from tests.conftest import api_as
from tests.factories import ApplicationFactory, NoticeDetailsFactory, NoticeFactory


def text_of(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def id_numbers(notice):
    return list(notice.lines.values_list("application__applicant__id_number", flat=True))


def test_the_pdf_follows_the_template_and_masks_id_numbers(community_user):
    notice = NoticeFactory(actor=community_user, size=60, state="published")
    response = api_as(community_user).get(f"/api/v1/notices/{notice.pk}/pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = text_of(response.content)
    flat = "".join(text.split())
    for expected in [
        "新疆维吾尔自治区就业困难人员初审公示",
        "现公示3个工作日",
        f"监督电话：{notice.supervision_phone}",
        notice.contact_person,
        "就业困难人员初审公示名单",
        f"{notice.agency_name}（公章）",
        "低保人员",
    ]:
        assert expected in flat, expected
    masked = [n[:6] + "********" + n[-4:] for n in id_numbers(notice)]
    assert all(m in text for m in masked)
    assert not any(n in text for n in id_numbers(notice))
    pages = text.count("\f")
    assert pages >= 2 and text.count("所属社区(村)/街道(乡镇)") == pages  # the header row on every page
    assert f"第1页共{pages}页" in flat


def test_the_pdf_is_cached_until_the_notice_changes(community_user, django_assert_max_num_queries):
    notice = NoticeFactory(actor=community_user, size=2)
    client = api_as(community_user)
    first = client.get(f"/api/v1/notices/{notice.pk}/pdf").content
    notice.refresh_from_db()
    key, name = notice.pdf_key, notice.pdf_file.name
    assert client.get(f"/api/v1/notices/{notice.pk}/pdf").content == first
    notice_publish(actor=community_user, notice_id=notice.pk)  # the period is now printed: a new file
    client.get(f"/api/v1/notices/{notice.pk}/pdf")
    notice.refresh_from_db()
    assert notice.pdf_key != key and notice.pdf_file.name != name


def test_a_long_notice_is_rendered_in_the_background(
    community_user, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from config.celery import app

    monkeypatch.setattr(pdf, "BACKGROUND_FROM_LINES", 3)
    notice = NoticeFactory(actor=community_user, size=3, state="published")
    client = api_as(community_user)
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            waiting = client.get(f"/api/v1/notices/{notice.pk}/pdf")
    finally:
        app.conf.task_always_eager = False
    assert waiting.status_code == 202 and waiting.json()["status"] == "rendering"
    notice.refresh_from_db()
    assert (notice.pdf_status, notice.pdf_progress) == ("ready", 100)
    assert client.get(f"/api/v1/notices/{notice.pk}/pdf").content.startswith(b"%PDF")


def test_the_public_pages_need_no_login_and_leak_nothing(client, community_user):
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        notice = NoticeFactory(actor=community_user, size=2, state="published")
        objection_record(
            actor=community_user,
            notice_id=notice.pk,
            application_id=notice.lines.first().application_id,
            content="有收入",
            reporter_name="举报人王五",
            reporter_contact="13712345678",
        )
        listing = client.get("/notices/").content.decode()
        page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert notice.title in listing and "公示中" in listing
    assert notice.supervision_phone in page and notice.lines.first().name in page
    for secret in [*id_numbers(notice), "举报人王五", "13712345678"]:
        assert secret not in page and secret not in listing
    assert Objection.objects.count() == 1


def test_drafts_are_not_public(client, community_user):
    draft = NoticeFactory(actor=community_user)
    assert draft.title not in client.get("/notices/").content.decode()
    assert client.get(f"/notices/{draft.pk}/").status_code == 404
    assert client.get(f"/notices/{draft.pk}/pdf").status_code == 404


def test_the_public_list_filters_by_county(client, community_user):
    notice = NoticeFactory(actor=community_user, state="published")
    assert notice.title in client.get("/notices/?county=650102000000").content.decode()
    assert notice.title not in client.get("/notices/?county=653101000000").content.decode()


def test_a_community_worker_publishes_and_handles_an_objection_in_the_browser(client, community_user):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        applications = ApplicationFactory.create_batch(2, actor=community_user, state="pending_notice")
        ids = [a.pk for a in applications]
        client.force_login(community_user)
        page = client.get("/staff/notices/").content.decode()
        assert "待公示的申请" in page and applications[0].applicant.name in page
        response = client.post("/staff/notices/", {"application_ids": ids, **NoticeDetailsFactory()})
        notice = Notice.objects.get()
        assert response.url == f"/staff/notices/{notice.pk}/"
        client.post(f"/staff/notices/{notice.pk}/publish/", {"published_on": "2026-11-20"})
        notice.refresh_from_db()
        assert (notice.state, str(notice.period_end)) == ("published", "2026-11-24")
        staff_page = client.get(f"/staff/notices/{notice.pk}/").content.decode()
        assert "异议内容：</label>" in staff_page and ":</label>" not in staff_page  # labels end full-width
        client.post(
            f"/staff/notices/{notice.pk}/objection/",
            {"application_id": ids[1], "content": "已就业", "reporter_name": "赵六"},
        )
        objection = Objection.objects.get()
        body = client.post(
            f"/staff/notices/{notice.pk}/resolve/",
            {"objection_id": objection.pk, "upheld": "1", "finding": "经社保查询属实"},
            follow=True,
        )
        assert "核实结果已记录" in body.content.decode()
        client.post(f"/staff/notices/{notice.pk}/proof/", {"url": "https://www.xjrc365.com/notice/1"})
        assert notice.proofs.get().url == "https://www.xjrc365.com/notice/1"
        early = client.post(f"/staff/notices/{notice.pk}/close/", follow=True).content.decode()
        assert "期满后才能结束公示" in early
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        client.force_login(community_user)  # a new working day, a new session
        done = client.post(f"/staff/notices/{notice.pk}/close/", follow=True).content.decode()
    assert "公示已结束" in done
    from applications.models import Application

    assert [Application.objects.get(pk=i).opinions.last().decision for i in ids] == ["pass", "fail"]


def test_a_person_waiting_for_a_long_pdf_sees_the_page_refresh(client, community_user, monkeypatch):
    monkeypatch.setattr(pdf, "BACKGROUND_FROM_LINES", 1)
    notice = NoticeFactory(actor=community_user, state="published")
    client.force_login(community_user)
    response = client.get(f"/staff/notices/{notice.pk}/pdf", follow=True)  # the task is queued on commit
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/staff/notices/{notice.pk}/"
    assert "正在后台生成" in body and 'http-equiv="refresh"' in body and "正在生成（0%）" in body
    public = client.get(f"/notices/{notice.pk}/pdf", follow=True)
    assert public.redirect_chain[-1][0] == f"/notices/{notice.pk}/"


def test_a_photo_of_the_posted_notice_is_kept_as_proof(client, community_user):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    notice = NoticeFactory(actor=community_user, state="published")
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    client.force_login(community_user)
    photo = SimpleUploadedFile("board.png", buffer.getvalue(), content_type="image/png")
    client.post(f"/staff/notices/{notice.pk}/proof/", {"photo": photo, "note": "社区公示栏"})
    proof = notice.proofs.get()
    assert proof.photo.name.startswith("notice-proofs/") and proof.note == "社区公示栏"
    fake = SimpleUploadedFile("board.png", b"not an image", content_type="image/png")
    body = client.post(f"/staff/notices/{notice.pk}/proof/", {"photo": fake}, follow=True).content.decode()
    assert notice.proofs.count() == 1 and "请上传有效图片" in body
