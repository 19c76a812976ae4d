"""Issue 11 item 10: the public notices are reachable from the login page; a closed notice leaves the
public pages PUBLIC_NOTICE_RETENTION_DAYS after it closed; a withdrawn person leaves the page and the PDF."""

import subprocess
from datetime import date, timedelta

import time_machine

from publicity.models import NoticeState
from tests.conftest import api_as
from tests.factories import ApplicationFactory, NoticeFactory, on, transition


def test_the_login_page_links_the_public_notices(client, demo):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/notices/"' in page and "认定公示" in page


def test_a_closed_notice_leaves_the_public_pages_after_the_retention_period(client, community_user, settings):
    settings.PUBLIC_NOTICE_RETENTION_DAYS = 10
    with on(date(2026, 11, 2)):
        notice = NoticeFactory(actor=community_user, state=NoticeState.CLOSED, published_on=date(2026, 11, 2))
    closed_on = notice.closed_at.date()
    name = notice.lines.get().name
    with on(closed_on + timedelta(days=10)):
        assert notice.title in client.get("/notices/").content.decode()
        assert name in client.get(f"/notices/{notice.pk}/").content.decode()
    with on(closed_on + timedelta(days=11)):
        assert notice.title not in client.get("/notices/").content.decode()
        assert client.get(f"/notices/{notice.pk}/").status_code == 404
        assert client.get(f"/notices/{notice.pk}/pdf").status_code == 404
        client.force_login(community_user)  # the unit keeps it
        assert notice.title in client.get("/staff/notices/").content.decode()
        assert client.get(f"/staff/notices/{notice.pk}/").status_code == 200


def text_of(data: bytes) -> str:
    """The PDF's text in content order, without spaces: a long name wraps inside its narrow table cell,
    and -layout would interleave its two halves with the neighbouring columns."""
    raw = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout
    return "".join(raw.decode().split())


def test_a_published_notice_stays_public_whatever_its_age(client, community_user, settings):
    settings.PUBLIC_NOTICE_RETENTION_DAYS = 1
    notice = NoticeFactory(actor=community_user, published_on=date(2026, 11, 2))
    with time_machine.travel("2027-03-01 10:00 +0800", tick=False):
        assert notice.title in client.get("/notices/").content.decode()


def test_a_withdrawn_person_leaves_the_public_page_and_the_pdf(client, community_user):
    with on(date(2026, 11, 23)):
        # long names wrap inside the name column, which the text extraction must survive
        stays = ApplicationFactory(actor=community_user, state="pending_notice", person__name="阿依古丽·买买提明")
        leaves = ApplicationFactory(actor=community_user, state="pending_notice", person__name="热合曼·艾则孜江")
        notice = NoticeFactory(actor=community_user, applications=[stays, leaves], published_on=date(2026, 11, 23))
        before = text_of(client.get(f"/notices/{notice.pk}/pdf").content)  # rendered and cached
        transition(leaves, "withdraw", community_user, reason="申请人已就业。")
        page = client.get(f"/notices/{notice.pk}/").content.decode()
        public_pdf = text_of(client.get(f"/notices/{notice.pk}/pdf").content)
        staff_pdf = text_of(api_as(community_user).get(f"/api/v1/notices/{notice.pk}/pdf").content)
    gone, kept = leaves.applicant.name, stays.applicant.name
    assert gone in before and kept in before
    assert gone not in page and kept in page
    assert gone not in public_pdf and kept in public_pdf and gone not in staff_pdf
