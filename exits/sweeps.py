"""Exit detection and follow-ups on the sweep registry (DESIGN.md §7, §8): set-based, idempotent."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from accounts.models import Notification, NotificationKind, Role, User
from accounts.notifications import Message, notify_many
from config.sweeps import register
from eligibility import policies
from exits import detection
from exits.services import IDENTITY_CHECK_ARTICLE, exit_transition


@register("detect_exits")
def detect_exits(as_of: date) -> dict:
    """Propose an exit for every cause a rule finds (one proposal per cause); retirement age may be
    confirmed at once where EXITS_AUTO_CONFIRM_RETIREMENT is set (DESIGN.md §7)."""
    proposed: dict[str, int] = {}
    created: dict[str, list[int]] = {}
    for reason, rule in detection.RULES.items():
        created[reason] = detection.propose(reason, rule(as_of), as_of)
        proposed[reason] = len(created[reason])
    confirmed, problems = [], []
    if getattr(settings, "EXITS_AUTO_CONFIRM_RETIREMENT", False):
        for case_id in created["retirement_age"]:
            try:
                with transaction.atomic():
                    exit_transition(
                        case_id=case_id, name="confirm", actor=None, note="达到法定退休年龄，自动确认。", today=as_of
                    )
                confirmed.append(case_id)
            except (TransitionNotAllowed, ValidationError) as exc:
                problems.append({"exit_id": case_id, "reason": "；".join(getattr(exc, "messages", [str(exc)]))})
    return {"proposed": proposed, "auto_confirmed": len(confirmed), "problems": problems}


def policy_of(unit_code: str) -> str:
    return next((p.code for p in policies.POLICIES.values() if unit_code.startswith(p.province)), "xinjiang-2025")


@register("identity_checks_due")
def identity_checks_due(as_of: date) -> dict:
    """xinjiang 第十七条: the communities (and townships) with recognised persons whose periodic identity
    check is due are told once a week how many; the register lists them under 跟踪回访到期."""
    by_unit = dict(
        detection.identity_checks_due(as_of).values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    week = f"{as_of.isocalendar().year}-W{as_of.isocalendar().week:02d}"
    # staff not yet told this week, in the same query: a second run builds no message at all (issue 13)
    told = Notification.objects.filter(
        user=OuterRef("pk"), key=Concat(Value("identity-checks:"), OuterRef("unit_id"), Value(f":{week}"))
    )
    staff = (
        User.objects.filter(unit_id__in=list(by_unit), role__in=[Role.COMMUNITY, Role.TOWNSHIP], is_active=True)
        .exclude(Exists(told))
        .only("pk", "unit_id", "phone", "email")
    )
    url = reverse("exits:register") + "?due=1"
    messages = [
        Message(
            user=user,
            key=f"identity-checks:{user.unit_id}:{week}",
            kind=NotificationKind.RECOGNITION,
            title="身份核验到期提醒",
            body=f"辖区内有 {by_unit[user.unit_id]} 名就业困难人员到期需要身份核验、跟踪随访"
            f"（{IDENTITY_CHECK_ARTICLE[policy_of(user.unit_id)]}）。",
            url=url,
        )
        for user in staff
    ]
    queued = notify_many(messages)
    return {"due": sum(by_unit.values()), "units": len(by_unit), "notifications": queued["notifications"]}
