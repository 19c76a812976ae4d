"""xj_county types a full ID number into the queue's search box: it finds the case, and no request the
browser makes carries the number (issue 12 #3: access logs never hold an ID number)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.factories import ApplicationFactory, staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/queues2")


def test_a_full_id_searched_in_the_queue_stays_out_of_every_url(page, live_server, demo):
    wanted = ApplicationFactory(actor=staff("xj_community"))
    other = ApplicationFactory(actor=staff("xj_community"))
    number = wanted.applicant.id_number
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或身份证号").fill("xj_county")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/queue/?state=all")
    page.get_by_label("姓名或身份证号").fill(number)
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.queue")).to_contain_text(wanted.reference)
    expect(page.locator("table.queue")).not_to_contain_text(other.reference)
    assert "k=" in page.url and all(number[:14] not in url for url in urls)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "queue-search-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "queue-search-phone.png"), full_page=True)


def test_an_empty_queue_runs_its_script_without_an_error(page, live_server, demo):
    """The bulk form is there with no rows and no bulk fieldset: queue.js read the note it lacks
    (TypeError on every empty queue of a deciding officer)."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或身份证号").fill("xj_township")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/queue/")
    expect(page.locator("p.empty")).to_be_visible()
    page.wait_for_load_state("load")
    assert errors == []
