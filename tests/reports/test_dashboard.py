"""The dashboard page (DESIGN.md §11): figures and charts of reports.stats, each number a link to its list."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application, State
from reports import charts
from reports.links import queue_url
from tests.factories import ApplicationFactory, staff
from tests.reports.test_stats import clone

URL = "/dashboard/"


@pytest.fixture
def cases(demo, community_user):
    return {state: ApplicationFactory(actor=community_user, state=state) for state in (State.APPROVED, State.SUBMITTED)}


def _client(client, user):
    client.force_login(user)
    return client


def _card(response, label):
    return next((value, url) for text, value, url, _tone in response.context["cards"] if text == label)


def test_it_shows_the_figures_with_charts_and_links(cases, client, province_user):
    response = _client(client, province_user).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "新疆维吾尔自治区统计概览" in page
    assert page.count("<svg") == 4  # trend, stages, categories, child units
    assert "低保人员" in page  # the policy's own category names
    # charts without a chart library: the only script is the site's own small helper (base.html)
    assert "cdn" not in page.lower() and re.findall(r'<script src="([^"]+)"', page) == ["/static/js/app.js"]
    assert _card(response, "收到申请")[0] == 2
    assert _card(response, "认定通过")[0] == 1


def test_every_number_leads_to_the_list_behind_it(cases, client, province_user):
    client = _client(client, province_user)
    response = client.get(URL)
    for label, state in (("认定通过", State.APPROVED), ("办理中", State.SUBMITTED)):
        value, url = _card(response, label)
        listed = client.get(url).context["rows"]
        assert [row["pk"] for row in listed] == [cases[state].pk], label
    value, url = _card(response, "收到申请")
    assert len(client.get(url).context["rows"]) == value == 2
    recognitions = response.context["recognition_rows"]
    label, n, url = next(row for row in recognitions if row[0] == "低保人员")
    assert n == 1 and len(client.get(url).context["rows"]) == 1


def test_a_child_unit_and_a_month_drill_down_too(cases, client, county_user):
    client = _client(client, county_user)
    response = client.get(URL)
    first = response.context["child_rows"][0]
    assert first["row"]["unit_code"] == "650102001000" and first["row"]["received"] == 2
    assert len(client.get(first["links"]["received"]).context["rows"]) == 2
    second = response.context["child_rows"][1]
    assert client.get(second["links"]["received"]).context["rows"] == []
    assert client.get(URL + first["dashboard"]).context["figures"]["unit_code"] == "650102001000"
    month = f"{cases[State.SUBMITTED].received_on:%Y-%m}"
    this_month = queue_url(response.context["scope"], month=month, state="open")
    assert f"received_from={month}-" in this_month
    assert [row["pk"] for row in client.get(this_month).context["rows"]] == [cases[State.SUBMITTED].pk]


def test_the_query_count_does_not_grow_with_the_data(cases, client, province_user):
    client = _client(client, province_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    year = timezone.localdate().year
    clone(cases[State.APPROVED], 60, received_on=date(year, 1, 5), decided_on=date(year, 1, 20))
    clone(cases[State.SUBMITTED], 60, unit_id="653101001001", handling_unit_id="653101001000")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert _card(response, "收到申请")[0] == 122
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("username", "query", "status"),
    [
        ("xj_county", {"unit_code": "653101000000"}, 404),
        ("xj_county", {"from": "2025-13-40"}, 200),  # the form says what is wrong
        ("xj_county", {"from": "2025-06-01", "to": "2025-01-01"}, 200),
        ("xj_community", {}, 403),  # DESIGN.md §11: county and above
        ("admin", {}, 200),
    ],
)
def test_it_is_scoped_and_never_fails_on_odd_input(demo, client, username, query, status):
    response = _client(client, staff(username)).get(URL, query)
    assert response.status_code == status
    if query.get("from") and status == 200:
        assert "error" in response.content.decode()


def test_applicants_and_strangers_do_not_see_it(demo, client, applicant):
    assert client.get(URL).status_code == 302
    assert _client(client, applicant).get(URL).status_code == 403


def test_the_nav_links_it_for_county_and_above_only(demo, client):
    assert 'href="/dashboard/"' in _client(client, staff("xj_county")).get("/queue/").content.decode()
    assert 'href="/dashboard/"' not in _client(client, staff("xj_community")).get("/queue/").content.decode()


def test_an_administrator_gets_no_dead_links(cases, client, admin_user):
    """The queue serves staff officers only (the admin reads cases in the admin): no links to it."""
    page = _client(client, admin_user).get(URL)
    assert page.status_code == 200 and page.context["figures"]["applications"]["received"] == 2
    assert "/queue/" not in page.content.decode()
    assert "/recognitions/?" in page.content.decode()  # the register does serve administrators
    assert client.get("/recognitions/").status_code == 200


def test_a_unit_drill_down_takes_that_unit_only(cases, client, county_user):
    """A community whose code ends in 0 (650102001010) is that community, not every 65010200101x."""
    from accounts.models import OrgUnit

    for code in ("650102001010", "650102001011"):
        OrgUnit.objects.create(code=code, name=f"社区{code[-2:]}", parent_id="650102001000")
    clone(cases[State.SUBMITTED], 1, unit_id="650102001010")
    clone(cases[State.SUBMITTED], 2, unit_id="650102001011")
    client = _client(client, county_user)
    rows = client.get("/queue/", {"state": "all", "unit": "650102001010"}).context["rows"]
    assert [Application.objects.get(pk=row["pk"]).unit_id for row in rows] == ["650102001010"]


def test_the_charts_are_styled_by_a_stylesheet_the_security_policy_allows(cases, client, province_user):
    """A <style> inside the SVG is inline CSS, which the Content-Security-Policy refuses: every chart
    was a black box. The charts' rules are static/css/charts.css, generated from pygal's own."""
    page = _client(client, province_user).get(URL).content.decode()
    assert "<style" not in page and "/static/css/charts.css" in page
    assert "<script" not in page.split("<svg", 1)[1]  # pygal's inline config script, refused too (a review)
    assert (settings.BASE_DIR / "static" / "css" / "charts.css").read_text() == charts.stylesheet()


def test_the_month_trend_prints_its_numbers_in_a_table_not_on_the_bars(cases, client, province_user):
    """Four bars a month left no room for a number on each: they overlapped (session 4). The chart
    carries no values; the month table under it has each number, linked to its list."""
    client = _client(client, province_user)
    response = client.get(URL)
    trend = response.context["charts"]["trend"]
    assert not re.search(r'<text[^>]*class="value"', trend)  # what pygal writes for a printed value
    assert re.search(r'<text[^>]*class="value"', response.context["charts"]["stages"])  # the single bars keep theirs
    assert response.context["month_columns"] == ["收到申请", "认定通过", "未通过", "办理中"]
    month = timezone.localdate().month
    _label, cells = next(row for row in response.context["month_rows"] if row[0] == f"{month}月")
    (received, url), (approved, approved_url) = cells[0], cells[1]
    assert (received, approved) == (2, 1)
    assert [row["pk"] for row in client.get(approved_url).context["rows"]] == [cases[State.APPROVED].pk]
    assert len(client.get(url).context["rows"]) == 2
    assert "按月明细" in response.content.decode()
