"""The pager of the six paginated pages (templates/_pager.html): page 2 of each links back and forth with
the page's own filters kept, and says where the user is; one row a page so two rows paginate."""

import re

import pytest

from tests.exits.helpers import recognised
from tests.outreach.helpers import push, row

pytestmark = pytest.mark.django_db


def pager(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    nav = re.search(r'<nav class="pager">(.*?)</nav>', response.content.decode(), re.S)
    assert nav, f"no pager on {url}"
    return " ".join(nav.group(1).split())


@pytest.fixture
def one_a_page(monkeypatch):
    import applications.views
    import exits.views
    import outreach.views

    for views in (applications.views, exits.views, outreach.views):
        monkeypatch.setattr(views, "PAGE_SIZE", 1)


def test_each_list_pages_with_its_filters(client, one_a_page, demo, community_user, county_user, province_user):
    people = [recognised(), recognised(), recognised()]
    client.force_login(community_user)
    for r in people[:2]:
        client.post(f"/recognitions/{r.pk}/exit/", {"reason": "voluntary", "note": ""})
    push(province_user, [row(), row()])
    push(province_user, [row()])

    first = client.get("/queue/?state=all").context["pages"]  # the queue pages by cursor (issue 13)
    assert first["previous"] is None and first["next"].startswith("?state=all&cursor=")
    nav = pager(client, f"/queue/{first['next']}")
    assert '<a href="?state=all">首页</a>' in nav and 'rel="prev">上一页</a>' in nav and "共 3 件" in nav
    assert re.search(r'<a href="\?state=all&amp;cursor=[\w-]+" rel="next">下一页</a>', nav)
    nav = pager(client, "/recognitions/?active=true&page=2")
    assert '<a href="?active=true&page=1">上一页</a>' in nav and "第 2 / 3 页，共 3 人" in nav
    nav = pager(client, "/outreach/work-list/?state=pending&page=2")
    assert '<a href="?state=pending&page=1">上一页</a>' in nav and "第 2 / 3 页，共 3 人" in nav
    assert "下一页" in nav
    nav = pager(client, "/outreach/persons/?page=1")  # a search keeps its session key instead (issue 12 #3)
    assert '<a href="?page=2">下一页</a>' in nav and "上一页" not in nav

    client.force_login(county_user)
    nav = pager(client, "/exits/?state=proposed&page=2")
    assert '<a href="?state=proposed&page=1">上一页</a>' in nav and "第 2 / 2 页，共 2 件" in nav
    assert "下一页" not in nav

    client.force_login(province_user)
    nav = pager(client, "/outreach/push-lists/?page=2")
    assert '<a href="?page=1">上一页</a>' in nav and "第 2 / 2 页" in nav and "共" not in nav
