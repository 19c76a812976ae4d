"""The overdue sweep writes its messages with one INSERT … SELECT a batch (issue 13): the same inbox
rows and copies as one message per case and staff member, and a number of queries that does not grow
with the backlog."""

from datetime import date

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, OutboxMessage, User
from applications.models import Application, OverdueReminder
from applications.sweeps import flag_overdue_stages
from tests.factories import ApplicationFactory

DUE = date(2026, 10, 9)  # received 2026-09-30: the initial review's two working days end after the holiday


def _overdue(community_user, count: int) -> list[Application]:
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        first = ApplicationFactory(actor=community_user, state="initial_review")
    # more cases like the first one, the way generate_load_data writes a province's backlog
    clones = []
    for n in range(1, count):
        clone = Application.objects.get(pk=first.pk)
        clone.pk, clone.reference = None, f"{first.reference}-{n}"
        clones.append(clone)
    Application.objects.bulk_create(clones)
    return [first, *clones]


def test_each_staff_member_gets_the_message_once_with_its_copies(community_user):
    (app,) = _overdue(community_user, 1)
    User.objects.filter(username="xj_community").update(phone="13800000000", email="c@example.cn")
    summary = flag_overdue_stages(date(2026, 10, 12))
    staff = User.objects.filter(unit_id=app.handling_unit_id, is_active=True)
    assert summary == {"flagged": 1, "notifications": staff.count(), "emails": 1, "sms": 1}
    note = Notification.objects.get(user__username="xj_community")
    assert note.key == f"overdue:{app.pk}:{DUE}" and note.kind == "overdue" and note.title == "办理超期提醒"
    assert note.body == f"{app.reference} {app.applicant.name}：初审环节已超过办理期限（2026-10-09）。"
    assert note.url == f"/applications/{app.pk}/"
    assert sorted(OutboxMessage.objects.values_list("notification__user__username", "channel")) == [
        ("xj_community", "email"),
        ("xj_community", "sms"),
    ]
    OverdueReminder.objects.filter(application=app).delete()  # marked again: nothing twice
    assert flag_overdue_stages(date(2026, 10, 12)) == {"flagged": 1, "notifications": 0, "emails": 0, "sms": 0}
    assert OutboxMessage.objects.count() == 2


def test_a_backlog_of_hundreds_takes_the_queries_of_one_case(community_user, monkeypatch):
    monkeypatch.setattr("applications.sweeps.BATCH", 1000)
    _overdue(community_user, 1)
    with CaptureQueriesContext(connection) as one:
        assert flag_overdue_stages(date(2026, 10, 12))["flagged"] == 1
    Notification.objects.all().delete()
    OverdueReminder.objects.all().delete()
    _overdue(community_user, 399)
    with CaptureQueriesContext(connection) as many:
        summary = flag_overdue_stages(date(2026, 10, 12))
    staff = User.objects.filter(unit_id=community_user.unit_id, is_active=True).count()
    assert summary["flagged"] == 400 and summary["notifications"] == 400 * staff == Notification.objects.count()
    assert len(many.captured_queries) == len(one.captured_queries)
    with CaptureQueriesContext(connection) as idle:
        assert flag_overdue_stages(date(2026, 10, 12))["flagged"] == 0
    assert len(idle.captured_queries) <= len(one.captured_queries)
