from datetime import date

import time_machine

from applications.selectors import QueueFilters, application_queue
from tests.conftest import api_as
from tests.factories import ApplicationFactory, staff


def ids(user, **filters) -> list[int]:
    return list(application_queue(user=user, filters=QueueFilters(**filters)).values_list("pk", flat=True))


def test_the_queue_selector_filters_inside_the_scope(community_user, other_community_user):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        march = ApplicationFactory(actor=community_user, person__name="王五", person__birth=date(1979, 1, 1))
    with time_machine.travel("2026-04-01 10:00 +0800", tick=False):
        april = ApplicationFactory(actor=community_user, state="initial_review", person__name="李四")
        other = ApplicationFactory(actor=other_community_user)
    county = staff("xj_county")
    assert set(ids(county)) == {march.pk, april.pk, other.pk}
    assert set(ids(community_user)) == {march.pk, april.pk}  # others' units are out of scope
    assert ids(staff("jl_county")) == []
    assert ids(county, unit_prefix="650102002001") == [other.pk]
    assert set(ids(county, unit_prefix="650102001000")) == {march.pk, april.pk}
    assert ids(county, states=("initial_review",)) == [april.pk]
    assert ids(county, received_from=date(2026, 4, 1), unit_prefix="650102001") == [april.pk]
    assert ids(county, received_to=date(2026, 3, 31)) == [march.pk]
    assert ids(county, q="李") == [april.pk]
    assert ids(county, q="650102197901") == [march.pk]
    assert ids(county, q=march.applicant.id_number.lower()) == [march.pk]


def test_the_queue_selector_sorts_with_the_id_as_tiebreak(community_user):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        a, b = ApplicationFactory.create_batch(2, actor=community_user)
    with time_machine.travel("2026-04-01 10:00 +0800", tick=False):
        c = ApplicationFactory(actor=community_user)
    assert ids(community_user, sort="received") == [a.pk, b.pk, c.pk]
    assert ids(community_user, sort="-received") == [c.pk, b.pk, a.pk]
    assert ids(community_user, sort="due") == [a.pk, b.pk, c.pk]
    assert ids(community_user, sort="-due") == [c.pk, b.pk, a.pk]
    assert ids(community_user, sort="unknown") == [a.pk, b.pk, c.pk]


def test_a_list_counts_no_further_than_the_cap(client, community_user, monkeypatch):
    monkeypatch.setattr("config.pagination.COUNT_CAP", 2)
    ApplicationFactory.create_batch(3, actor=community_user)
    client.force_login(community_user)
    assert "共 10,000 件以上" in client.get("/queue/?state=all").content.decode()
    body = api_as(community_user).get("/api/v1/applications/?page_size=1").json()
    assert body["count"] == 3 and body["count_capped"] is True and len(body["results"]) == 1
    monkeypatch.setattr("config.pagination.COUNT_CAP", 3)
    assert "10,000 件以上" not in client.get("/queue/?state=all").content.decode()
    assert api_as(community_user).get("/api/v1/applications/").json()["count_capped"] is False
