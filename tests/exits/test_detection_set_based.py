"""Exit detection is set-based (issue 13): the proposals, their first log entries and chain heads are
written by a fixed number of statements whatever the backlog, with the causes, dates and details the
rules define, and a second run (in the same transaction, as the bench does) writes nothing."""

from datetime import date, timedelta

import pytest
from django.db.models import DateField, Value

from eligibility import policies
from eligibility.dates import add_months
from exits.detection import RULES, AddMonths
from exits.models import ExitCase, ExitLog, Recognition
from exits.sweeps import detect_exits
from tests.conftest import api_as
from tests.exits.helpers import recognised

pytestmark = pytest.mark.django_db


def test_add_months_in_sql_ends_on_the_last_day_of_a_shorter_month(demo):
    r = recognised()
    days = [date(2025, 8, 31), date(2025, 8, 30), date(2025, 8, 28), date(2023, 8, 31), date(2025, 12, 31)]
    days += [date(2024, 2, 29), date(2025, 1, 1), date(2025, 5, 31), date(2025, 3, 31), date(2025, 7, 15)]
    one = Recognition.objects.filter(pk=r.pk)
    for day in days:
        (shifted,) = one.annotate(x=AddMonths(Value(day, DateField()), 6)).values_list("x", flat=True)
        assert shifted == add_months(day, 6), day


def test_lost_contact_at_a_month_end_with_its_cause_and_detail(demo):
    r = recognised()
    Recognition.objects.filter(pk=r.pk).update(last_contact_on=date(2025, 8, 31))
    assert detect_exits(date(2026, 3, 1))["proposed"]["lost_contact"] == 1
    case = ExitCase.objects.get(recognition=r, reason="lost_contact")
    assert case.effective_on == date(2026, 2, 28) and case.cause == "lost_contact:2025-08-31"
    assert case.detail == {"last_contact_on": "2025-08-31"} and case.proposed_on == date(2026, 3, 1)
    (reason,) = (x for x in policies.get(r.policy_code).exit_reasons if x.code == "lost_contact")
    assert (case.state, case.source, case.article, case.reason_label) == (
        "proposed",
        "sweep",
        "第十六条(八)",
        reason.label,
    )
    entry = ExitLog.objects.get(case=case)
    assert (entry.name, entry.role, entry.note, entry.actor_id) == ("propose", "system", "系统检测", None)
    assert case.log_head == entry.hash == entry.compute_hash() and case.log_seq == 1


def test_employed_detail_names_the_last_subsidy_end(demo, community_user):
    r = recognised()
    client = api_as(community_user)
    start = r.recognized_on
    body = {"kind": "social_insurance", "start": start.isoformat(), "end": (start + timedelta(days=30)).isoformat()}
    assert client.post(f"/api/v1/recognitions/{r.pk}/subsidies/", body, format="json").status_code == 201
    body = {"employed_on": start.isoformat()}
    assert client.post(f"/api/v1/recognitions/{r.pk}/employment/", body, format="json").status_code == 200
    detect_exits(start + timedelta(days=31))
    case = ExitCase.objects.get(recognition=r, reason="employed")
    assert case.effective_on == start + timedelta(days=30) and case.cause == f"employed:{start}"
    assert case.detail == {
        "employed_on": start.isoformat(),
        "subsidy_ended_on": (start + timedelta(days=30)).isoformat(),
    }


def test_statements_do_not_grow_with_the_backlog_and_a_second_run_writes_nothing(
    demo, django_assert_num_queries, django_assert_max_num_queries
):
    as_of = date(2070, 1, 1)  # everyone retired and out of contact
    recognised()
    with django_assert_max_num_queries(len(RULES) + 2 * 2) as one:  # a rule: INSERT; with proposals + log, heads
        detect_exits(as_of)
    ExitLog.objects.all()._raw_delete(ExitLog.objects.db)
    ExitCase.objects.all().delete()
    for _ in range(6):
        recognised()
    with django_assert_num_queries(len(one.captured_queries)):
        summary = detect_exits(as_of)
    assert summary["proposed"]["retirement_age"] == summary["proposed"]["lost_contact"] == 7
    assert ExitLog.objects.count() == ExitCase.objects.filter(log_seq=1).count() == 14
    with django_assert_num_queries(len(RULES)):  # nothing new: one statement a rule, nothing written
        again = detect_exits(as_of)
    assert again["proposed"] == dict.fromkeys(RULES, 0) and ExitCase.objects.count() == 14
