"""Daily exit detection (DESIGN.md §7, §8). Each rule is one query over active recognitions that
yields (recognition, cause, effective date); `propose_detected` inserts the proposals a chunk per
statement, and the unique constraints on ExitCase (one open proposal per reason, one proposal per
cause) make a second run, or a second worker, insert nothing. The number of queries grows only by a few
per 2,000 proposals (memory stays flat), not with the number of recognitions."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from config.records import GENESIS
from eligibility import policies
from eligibility.dates import add_months
from exits.models import ExitCase, ExitLog, ExitSource, ExitState, Outcome, Recognition, ServiceRecord, Subsidy

REFUSALS = 3  # xinjiang 第十六条(七) 6个月内…3次及以上; jilin 三(五) 半年内…3次以上
REFUSAL_MONTHS = 6
LOST_CONTACT_MONTHS = 6  # xinjiang 第十六条(八) 连续6个月


@dataclass(frozen=True)
class Found:
    recognition_id: int
    policy_code: str
    cause: str
    effective_on: date
    detail: dict


def _policies_with(reason: str) -> list[str]:
    return [p.code for p in policies.POLICIES.values() if any(r.code == reason for r in p.exit_reasons)]


def _without_open(queryset: QuerySet, reason: str) -> QuerySet:
    open_case = ExitCase.objects.filter(recognition=OuterRef("pk"), reason=reason, state=ExitState.PROPOSED)
    return queryset.filter(active=True, policy_code__in=_policies_with(reason)).exclude(Exists(open_case))


def retirement_age(as_of: date) -> list[Found]:
    """第十六条(三) / 三(一): the statutory retirement date (stored at recognition) is reached."""
    rows = _without_open(Recognition.objects, "retirement_age").filter(statutory_retirement_on__lte=as_of)
    return [
        Found(pk, code, "retirement_age", day, {"statutory_retirement_on": day.isoformat()})
        for pk, code, day in rows.values_list("pk", "policy_code", "statutory_retirement_on")
    ]


def refused_services(as_of: date) -> list[Found]:
    """第十六条(七) / 三(五): 3 or more refusals without good reason within the 6 months up to `as_of`.
    Counted from the refusals in the window (few), not over every recognition's services, so a day
    with nothing new reads little (issue 13: ≤ 1 s idle at 300k recognitions)."""
    since = add_months(as_of, -REFUSAL_MONTHS)
    counted = (
        ServiceRecord.objects.filter(outcome=Outcome.REFUSED, date__gte=since, date__lte=as_of)
        .values("recognition")
        .annotate(refusals=Count("pk"), last=Max("date"))
        .filter(refusals__gte=REFUSALS)
        .values_list("recognition", "refusals", "last")
    )
    counts = {pk: (n, last) for pk, n, last in counted}
    if not counts:
        return []
    rows = _without_open(Recognition.objects, "refused_services").filter(pk__in=list(counts))
    return [
        Found(
            pk,
            code,
            f"refused_services:{counts[pk][1]}",
            counts[pk][1],
            {"refusals": counts[pk][0], "since": since.isoformat()},
        )
        for pk, code in rows.values_list("pk", "policy_code")
    ]


def lost_contact(as_of: date) -> list[Found]:
    """xinjiang 第十六条(八): no successful contact and no service request for 6 consecutive months."""
    cutoff = add_months(as_of, -LOST_CONTACT_MONTHS)
    rows = _without_open(Recognition.objects, "lost_contact").filter(last_contact_on__lte=cutoff)
    return [
        Found(
            pk,
            code,
            f"lost_contact:{last}",
            add_months(last, LOST_CONTACT_MONTHS),
            {"last_contact_on": last.isoformat()},
        )
        for pk, code, last in rows.values_list("pk", "policy_code", "last_contact_on")
    ]


def policy_period_expired(as_of: date) -> list[Found]:
    """jilin 三(二): 享受就业援助政策期满 — the day after the assistance period's last day."""
    rows = _without_open(Recognition.objects, "policy_period_expired").filter(assistance_ends_on__lt=as_of)
    return [
        Found(pk, code, f"policy_period_expired:{end}", end, {"assistance_ends_on": end.isoformat()})
        for pk, code, end in rows.values_list("pk", "policy_code", "assistance_ends_on")
    ]


def employed_subsidy_ended(as_of: date) -> list[Found]:
    """xinjiang 第十六条(一): employed, and no difficulty subsidy still running on `as_of`
    (正在享受就业困难人员补贴政策的，延长至该政策享受期满)."""
    running = Subsidy.objects.filter(recognition=OuterRef("pk"), start__lte=as_of).filter(
        Q(end__isnull=True) | Q(end__gte=as_of)
    )
    rows = (
        _without_open(Recognition.objects, "employed")
        .filter(employed_on__isnull=False, employed_on__lte=as_of)
        .exclude(Exists(running))
        .annotate(last_end=Max("subsidies__end"))
    )
    found = []
    for pk, code, employed_on, last_end in rows.values_list("pk", "policy_code", "employed_on", "last_end"):
        effective = max(employed_on, last_end) if last_end else employed_on
        detail = {
            "employed_on": employed_on.isoformat(),
            "subsidy_ended_on": last_end.isoformat() if last_end else None,
        }
        found.append(Found(pk, code, f"employed:{employed_on}", effective, detail))
    return found


RULES = {
    "retirement_age": retirement_age,
    "refused_services": refused_services,
    "lost_contact": lost_contact,
    "policy_period_expired": policy_period_expired,
    "employed": employed_subsidy_ended,
}


CHUNK = 2000  # proposals written together: memory stays flat whatever the backlog (issue 13)


def propose_detected(reason: str, found: list[Found], as_of: date) -> list[int]:
    """Insert one proposal per cause (ignoring what the constraints refuse) and their first log entry,
    CHUNK at a time. Returns the ids of the proposals this call created."""
    created: list[int] = []
    for start in range(0, len(found), CHUNK):
        created += _propose(reason, found[start : start + CHUNK], as_of)
    return created


def _propose(reason: str, found: list[Found], as_of: date) -> list[int]:
    reasons = {code: {r.code: r for r in policies.get(code).exit_reasons} for code in {f.policy_code for f in found}}
    ExitCase.objects.bulk_create(
        (
            ExitCase(
                recognition_id=f.recognition_id,
                reason=reason,
                article=reasons[f.policy_code][reason].article,
                reason_label=reasons[f.policy_code][reason].label,
                source=ExitSource.SWEEP,
                cause=f.cause,
                detail=f.detail,
                effective_on=f.effective_on,
                proposed_on=as_of,
            )
            for f in found
        ),
        ignore_conflicts=True,
        batch_size=1000,
    )
    today_s = ExitCase.objects.filter(reason=reason, source=ExitSource.SWEEP, proposed_on=as_of)
    new = list(today_s.exclude(Exists(ExitLog.objects.filter(case=OuterRef("pk")))).values_list("pk", flat=True))
    now = timezone.now()
    entries = []
    for pk in new:
        entry = ExitLog(
            case_id=pk,
            name="propose",
            from_state="",
            to_state=ExitState.PROPOSED,
            actor=None,
            role="system",
            note="系统检测",
            payload={},
            at=now,
            prev_hash=GENESIS,
        )
        entry.hash = entry.compute_hash()
        entries.append(entry)
    ExitLog.objects.bulk_create(entries, batch_size=1000, ignore_conflicts=True)  # a second worker's are dropped
    # the chains' heads (config.records.ChainHead) from the entries that won, whichever worker wrote them:
    # one UPDATE for the chunk
    first = ExitLog.objects.filter(case=OuterRef("pk"), prev_hash=GENESIS).values("hash")[:1]
    today_s.filter(log_seq=0, pk__in=new).update(log_seq=1, log_head=Subquery(first))
    return new


def identity_checks_due(as_of: date) -> QuerySet[Recognition]:
    """xinjiang 第十七条 定期开展身份核验 (jilin 四(一) 动态维护): active recognitions whose check is due."""
    return Recognition.objects.filter(active=True, identity_check_due_on__lte=as_of)
