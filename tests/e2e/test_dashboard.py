"""xj_province opens the dashboard, drills down from a number to the queue behind it, and exports that
list to Excel: the download arrives and opens with openpyxl, ID numbers masked."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.idnumber import mask
from applications.models import State
from tests.e2e.test_procedure import sign_in
from tests.factories import ApplicationFactory, staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_province_officer_drills_down_and_exports(page, live_server, demo, tmp_path):
    community = staff("xj_community")
    approved = ApplicationFactory(actor=community, state=State.APPROVED)
    ApplicationFactory(actor=community, state=State.SUBMITTED)
    base = live_server.url

    sign_in(page, base, "xj_province")
    page.get_by_role("link", name="统计", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新疆维吾尔自治区统计概览")
    expect(page.locator("svg.pygal-chart").first).to_be_visible()
    approved_card = page.locator("a.kpi", has_text="认定通过")
    expect(approved_card.locator("b")).to_have_text("1")

    approved_card.click()
    expect(page).to_have_url(
        re.compile(r"/queue/\?state=approved&received_from=[0-9-]{10}&received_to=[0-9-]{10}&unit=650000000000$")
    )
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(approved.reference)

    with page.expect_download() as info:
        page.get_by_role("link", name="导出Excel", exact=True).click()
    download = info.value
    assert download.suggested_filename.startswith("就业困难人员认定申请_")
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]][:3] == ["受理编号", "姓名", "身份证号"]
    assert [c.value for c in sheet[2]][:3] == [
        approved.reference,
        approved.applicant.name,
        mask(approved.applicant.id_number),
    ]
    assert sheet.max_row == 2
