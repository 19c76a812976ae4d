"""The overdue sweep is set-based (issue 13): a backlog is marked one UPDATE per batch, not per row,
and a second run finds nothing to do."""

from datetime import date

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from applications.models import Application, OverdueReminder
from applications.sweeps import flag_overdue_stages
from tests.factories import ApplicationFactory


def test_a_backlog_is_marked_in_batches(community_user, monkeypatch):
    monkeypatch.setattr("applications.sweeps.BATCH", 2)
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):  # due 2026-10-09
        ApplicationFactory.create_batch(5, actor=community_user, state="initial_review")
    with CaptureQueriesContext(connection) as queries:
        summary = flag_overdue_stages(date(2026, 10, 12))
    sqls = [q["sql"] for q in queries.captured_queries]
    marks = [sql for sql in sqls if sql.startswith('INSERT INTO "applications_overduereminder"')]
    assert summary["flagged"] == 5 and len(marks) == 3  # 2 + 2 + 1
    # the batches' ends are read in one pass, not by one query per batch sorting the rest of the backlog
    reads = [sql for sql in sqls if sql.startswith("SELECT") and '"applications_application"' in sql]
    assert len(reads) == 1
    assert summary["notifications"] == Notification.objects.count() > 0
    assert sorted(OverdueReminder.objects.values_list("application", flat=True)) == sorted(
        Application.objects.values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as idle:  # nothing due: the one read finds no batch to write
        assert flag_overdue_stages(date(2026, 10, 12)) == {"flagged": 0, "notifications": 0, "emails": 0, "sms": 0}
    assert len(idle.captured_queries) == 1
