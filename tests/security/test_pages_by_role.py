"""Pages left out of a role's navigation are refused to it by URL too (a review's finding: a community
opened the dashboard and the pushed lists, seeing only its own figures but pages not meant for it)."""

import pytest

from tests.factories import staff


@pytest.mark.parametrize("username", ["xj_community", "xj_township"])
@pytest.mark.parametrize("url", ["/dashboard/", "/outreach/push-lists/"])
def test_a_community_or_township_is_refused(client, demo, username, url):
    client.force_login(staff(username))
    response = client.get(url)
    assert response.status_code == 403 and "人社部门" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "url", "status"),
    [
        ("xj_county", "/dashboard/", 200),
        ("xj_county", "/outreach/push-lists/", 403),  # the county works no list; its townships do
        ("xj_province", "/dashboard/", 200),
        ("xj_province", "/outreach/push-lists/", 200),
    ],
)
def test_the_overseeing_units_open_theirs(client, demo, username, url, status):
    client.force_login(staff(username))
    assert client.get(url).status_code == status
