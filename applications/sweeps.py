from datetime import date

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Mod, RowNumber
from django.urls import reverse
from django.utils import timezone

from accounts import areas
from accounts.models import ROLE_LEVEL, Notification, NotificationKind, OutboxChannel, OutboxMessage, Role, User
from accounts.notifications import channels_for, deliver_after_commit
from applications.models import OPEN_STATES, Applicant, Application, OverdueReminder, State
from config.sweeps import register

BATCH = 5000  # rows marked and notified by one statement each: memory and statement size stay flat

# Who answers for each stage's deadline.
RESPONSIBLE = {
    State.INITIAL_REVIEW: "handling",
    State.PENDING_NOTICE: "handling",
    State.PUBLIC_NOTICE: "handling",
    State.TOWNSHIP_REVIEW: Role.TOWNSHIP,
    State.COUNTY_REVIEW: Role.COUNTY,
}


@register("flag_overdue_stages")
def flag_overdue_stages(as_of: date) -> dict:
    """Tell the responsible unit's staff, once per due date, that a stage is overdue. Set-based (issue
    13): a batch of BATCH cases by id range is notified with one INSERT … SELECT (no row reaches Python;
    the unique (user, key) skips what was written before, and a second worker's rows wait and are
    skipped), their copies queued, and the batch marked with one INSERT of its OverdueReminder rows,
    whose count is "flagged". Whether a case was reminded of its deadline is a probe of the reminders'
    unique index per due case (a scalar subquery, planned the same whatever the statistics say)."""
    sent = OverdueReminder.objects.filter(application=OuterRef("pk"), due_on=OuterRef("stage_due_on"))
    due = (
        Application.objects.filter(state__in=OPEN_STATES, stage_due_on__lt=as_of)
        .alias(sent=Subquery(sent.order_by().values("due_on")[:1]))
        .filter(sent__isnull=True)
    )
    totals = {"flagged": 0, "notifications": 0, "emails": 0, "sms": 0}
    lower = 0
    for upper in _batch_ends(due):  # nothing due: no batch at all
        batch = due.filter(pk__gt=lower, pk__lte=upper)
        with transaction.atomic():  # notified before marking: the INSERT selects the unmarked rows
            written = _insert_notifications(batch.order_by().values("pk"))
            queued = _queue_copies(written)
            totals["flagged"] += _mark(batch.order_by().values("pk", "stage_due_on"))
        totals["notifications"] += len(written)
        totals["emails"] += queued[OutboxChannel.EMAIL]
        totals["sms"] += queued[OutboxChannel.SMS]
        lower = upper
    return totals


def _batch_ends(due) -> list[int]:
    """The id ending each batch of `due` (every BATCH-th and the last), numbered in one pass over the due
    rows' ids (issue 13: finding each batch's end by its own OFFSET query sorted the whole rest of the
    backlog once a batch, 6.7 s of the sweep at 1M). One id per batch reaches Python."""
    numbered = due.annotate(row=Window(RowNumber(), order_by=F("pk").asc()), total=Window(Count("pk")))
    numbered = numbered.alias(slot=Mod("row", BATCH))
    return list(numbered.filter(Q(slot=0) | Q(row=F("total"))).order_by("pk").values_list("pk", flat=True))


def _mark(batch) -> int:
    """The reminders of `batch` (a queryset of id and deadline) in one INSERT … SELECT; a second worker's
    wait and are skipped. Returns how many were written."""
    select, params = batch.query.sql_with_params()
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(OverdueReminder._meta.db_table)} (application_id, due_on) {select} ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount


def _responsible_unit_sql() -> tuple[str, list]:
    """responsible_unit as an SQL expression over the application row `a`."""
    handling = [s for s, who in RESPONSIBLE.items() if who == "handling"]
    sql = f"CASE WHEN a.state IN ({', '.join(['%s'] * len(handling))}) THEN a.handling_unit_id"
    params: list = list(handling)
    for state, who in RESPONSIBLE.items():
        if who != "handling":
            length = areas.prefix_length(ROLE_LEVEL[who])
            sql += " WHEN a.state = %s THEN SUBSTR(a.unit_id, 1, %s) || %s"
            params += [state, length, "0" * (12 - length)]
    return sql + " END", params


def _insert_notifications(batch) -> list[tuple[int, int]]:
    """The overdue message of every case of `batch` (a queryset of ids) to each active staff member of
    its responsible unit, in one INSERT … SELECT; returns (id, user id) of the rows written."""
    marker = 987654321
    url_head, url_tail = reverse("applications:detail", args=[marker]).split(str(marker))
    labels = " ".join(["WHEN %s THEN %s"] * len(RESPONSIBLE))
    unit_sql, unit_params = _responsible_unit_sql()
    ids_sql, ids_params = batch.query.sql_with_params()
    q = connection.ops.quote_name
    day = "CAST(a.stage_due_on AS TEXT)"
    # only table names, placeholders and the ORM's own SQL are formatted in; every value is a parameter
    sql = f"""
        INSERT INTO {q(Notification._meta.db_table)} (user_id, {q("key")}, kind, title, body, url, created_at)
        SELECT u.id, %s || CAST(a.id AS TEXT) || ':' || {day}, %s, %s,
               SUBSTR(COALESCE(a.reference, '') || ' ' || p.name || '：' || CASE a.state {labels} END
                      || %s || {day} || %s, 1, 500),
               %s || CAST(a.id AS TEXT) || %s, %s
        FROM {q(Application._meta.db_table)} a
        JOIN {q(Applicant._meta.db_table)} p ON p.id = a.applicant_id
        JOIN {q(User._meta.db_table)} u ON u.unit_id = ({unit_sql}) AND u.is_active
        WHERE a.id IN ({ids_sql})
        ON CONFLICT (user_id, {q("key")}) DO NOTHING
        RETURNING id, user_id
    """  # noqa: S608
    params = [
        "overdue:",
        NotificationKind.OVERDUE,
        "办理超期提醒",
        *[x for state in RESPONSIBLE for x in (state, str(State(state).label))],
        "环节已超过办理期限（",
        "）。",
        url_head,
        url_tail,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        *unit_params,
        *ids_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _queue_copies(written: list[tuple[int, int]]) -> dict[str, int]:
    """The SMS / email copies of the rows written (accounts.notifications), sent after the commit."""
    counts = {OutboxChannel.SMS: 0, OutboxChannel.EMAIL: 0}
    if not written:
        return counts
    users = {u.pk: u for u in User.objects.filter(pk__in={user for _, user in written}).only("pk", "phone", "email")}
    now = timezone.now()
    copies = OutboxMessage.objects.bulk_create(
        OutboxMessage(notification_id=pk, channel=channel, next_attempt_at=now)
        for pk, user in written
        for channel in channels_for(users[user])
    )
    for copy in copies:
        counts[copy.channel] += 1
    deliver_after_commit([c.pk for c in copies])
    return counts
