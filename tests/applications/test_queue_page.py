"""Issue 11 item 4: the queue's sortable columns, its category filter per policy, its phone cards and
its bulk decisions that say what will happen to how many cases and ask to confirm first."""

import re

import pytest
import time_machine

from accounts.models import User
from applications.models import Application, State
from tests.factories import ApplicationFactory


def names_in_order(body: str) -> list[str]:
    return re.findall(r'<td class="name">([^<]+)</td>', body)


def test_the_columns_sort_by_received_date_due_date_and_stage(client, community_user, county_user):
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        ApplicationFactory(actor=community_user, person__name="早收到", state="initial_review")
    with time_machine.travel("2026-11-16 10:00 +0800", tick=False):
        ApplicationFactory(actor=community_user, person__name="晚收到")  # 收到申请: no due date yet
    ApplicationFactory(actor=community_user, person__name="待审批", state="county_review")
    client.force_login(county_user)
    page = lambda query: client.get(f"/queue/?state=all&{query}").content.decode()  # noqa: E731
    assert names_in_order(page("sort=received"))[:2] == ["早收到", "晚收到"]
    assert names_in_order(page("sort=-received"))[-2:] == ["晚收到", "早收到"]
    assert names_in_order(page("sort=state")) == ["晚收到", "早收到", "待审批"]  # the procedure's order
    assert names_in_order(page("sort=due"))[-1] == "晚收到"  # no due date: last
    assert names_in_order(page("sort=-due"))[0] == "晚收到"
    # the headings link to the next order, keeping the other filters, and say which one is on
    body = page("sort=-received&category=dibao")
    assert '<th aria-sort="descending"><a href="?state=all&amp;sort=received&amp;category=dibao"' in body
    assert '<th aria-sort="none"><a href="?state=all&amp;sort=due&amp;category=dibao"' in body
    assert page("sort=nonsense").count('name="ids"') == 3  # an unknown order is the default one, not a 500


@pytest.mark.parametrize("sort", ["due", "-due", "received", "-received", "state"])
def test_every_order_runs_the_same_fixed_number_of_queries(client, demo, django_assert_num_queries, sort):
    ApplicationFactory.create_batch(3)
    client.force_login(User.objects.get(username="xj_county"))
    with django_assert_num_queries(8):  # as the queue's own count test: sorting adds none
        assert client.get(f"/queue/?state=all&sort={sort}").status_code == 200


def test_the_category_filter_offers_the_users_policy_categories_by_their_names(client, demo):
    client.force_login(User.objects.get(username="xj_county"))
    xinjiang = client.get("/queue/").content.decode()
    client.force_login(User.objects.get(username="jl_county"))
    jilin = client.get("/queue/").content.decode()
    assert '<option value="veteran">退役军人</option>' in xinjiang and 'value="laid_off_soe"' not in xinjiang
    assert '<option value="older">大龄人员</option>' in xinjiang
    assert '<option value="laid_off_soe">下岗失业人员</option>' in jilin and 'value="veteran"' not in jilin
    assert '<option value="older">大龄失业人员</option>' in jilin


def test_each_row_carries_what_a_phone_card_shows(client, community_user, county_user):
    ApplicationFactory(actor=community_user, state="county_review")
    client.force_login(county_user)
    body = client.get("/queue/").content.decode()
    assert '<td class="status" data-label="状态">' in body and '<td class="deadline" data-label="办理期限">' in body
    assert "剩 " in body and "个工作日" in body


def test_bulk_decisions_say_what_will_happen_and_wait_for_confirmation(client, community_user, county_user):
    cases = ApplicationFactory.create_batch(2, actor=community_user, state="county_review")
    ids = [a.pk for a in cases]
    client.force_login(county_user)
    queue = client.get("/queue/").content.decode()
    assert "审批认定通过：认定为就业困难人员，通知申请人认定结果" in queue
    assert "审批不通过：不予认定，通知申请人不予认定的原因" in queue
    check = client.post("/queue/bulk/", {"ids": ids, "name": "county_approve", "opinion": "同意"}).content.decode()
    assert "将对以下 2 件申请逐件执行“审批认定通过”：认定为就业困难人员，通知申请人认定结果。" in check
    assert "确认对这 2 件申请执行“审批认定通过”" in check and 'name="confirmed" value="1"' in check
    assert all(a.applicant.name in check for a in cases)
    assert set(Application.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.COUNTY_REVIEW}
    done = client.post(
        "/queue/bulk/", {"ids": ids, "name": "county_approve", "opinion": "同意", "confirmed": "1"}
    ).content.decode()
    assert "成功 2 件，未办理 0 件" in done
    assert set(Application.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.APPROVED}


def test_a_bulk_rejection_without_a_reason_is_refused_before_anything_happens(client, community_user, county_user):
    app = ApplicationFactory(actor=community_user, state="county_review").pk
    client.force_login(county_user)
    response = client.post("/queue/bulk/", {"ids": [app], "name": "county_reject", "opinion": " "}, follow=True)
    assert "“审批不通过”须填写原因。" in response.content.decode()
    assert Application.objects.get(pk=app).state == State.COUNTY_REVIEW


def test_the_confirmation_lists_only_cases_in_scope(client, community_user, county_user, demo):
    mine = ApplicationFactory(actor=community_user, state="county_review")
    elsewhere = ApplicationFactory(actor=User.objects.get(username="jl_community"), state="county_review")
    client.force_login(county_user)
    check = client.post("/queue/bulk/", {"ids": [mine.pk, elsewhere.pk], "name": "county_approve"}).content.decode()
    assert "以下 1 件申请" in check and elsewhere.applicant.name not in check


def test_a_refused_bulk_action_keeps_the_ticked_rows_and_the_chosen_action(client, community_user, county_user):
    ticked, left = (
        ApplicationFactory.create_batch(2, actor=community_user, state="county_review"),
        ApplicationFactory(actor=community_user, state="county_review"),
    )
    client.force_login(county_user)
    response = client.post(
        "/queue/bulk/?sort=received", {"ids": [a.pk for a in ticked], "name": "county_reject", "opinion": ""}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "“审批不通过”须填写原因。" in body
    for application in ticked:
        assert re.search(rf'name="ids" value="{application.pk}"[^>]* checked', body)
    assert not re.search(rf'name="ids" value="{left.pk}"[^>]* checked', body)
    assert '<option value="county_reject" selected>' in body and '<option value="county_approve" selected>' not in body
    assert 'action="/queue/bulk/?sort=received"' in body and 'href="/queue/?' in body
    assert set(Application.objects.values_list("state", flat=True)) == {State.COUNTY_REVIEW}


def test_the_confirmation_sets_apart_the_cases_that_cannot_take_the_action(client, community_user, county_user):
    """A review found a case no longer in county review listed among those to approve, without a word."""
    ready = ApplicationFactory(actor=community_user, state="county_review")
    decided = ApplicationFactory(actor=community_user, state="approved")
    client.force_login(county_user)
    check = client.post("/queue/bulk/", {"ids": [ready.pk, decided.pk], "name": "county_approve"}).content.decode()
    assert "将对以下 1 件申请" in check and "以下 1 件申请当前不能执行“审批认定通过”，不会办理" in check
    assert f'name="ids" value="{ready.pk}"' in check and f'name="ids" value="{decided.pk}"' not in check
