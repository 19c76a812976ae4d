"""The one gate for notices and their objections (STYLE.md §4): what a user may read, and whether
they act for the notice's unit. Pages, API, PDFs and services call it; out of scope is 404."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.scoping import scope
from publicity.models import Notice, NoticeLine, NoticeState, Objection


def notices_for_user(user: User) -> QuerySet[Notice]:
    return scope(Notice.objects.select_related("unit"), user)


def notice_for_user(user: User, pk: int) -> Notice:
    return get_object_or_404(notices_for_user(user), pk=pk)


def objection_for_user(user: User, pk: int) -> Objection:
    """An objection is read through its notice's scope."""
    return get_object_or_404(
        Objection.objects.select_related("line__notice").filter(line__notice__in=notices_for_user(user)), pk=pk
    )


def acts_for_notice(user: User, notice_unit_code: str) -> bool:
    """Only the unit that publishes the notice drafts, publishes, records objections and closes it
    (第九条: the initial-review unit publicises)."""
    return user.is_authenticated and user.is_staff_officer and user.unit_id == notice_unit_code


def public_notices() -> QuerySet[Notice]:
    """What anyone may see: published notices, and closed ones for PUBLIC_NOTICE_RETENTION_DAYS after
    they closed; never drafts. Staff keep every notice (notices_for_user)."""
    closed_before = timezone.now() - timedelta(days=settings.PUBLIC_NOTICE_RETENTION_DAYS)
    return (
        Notice.objects.exclude(state=NoticeState.DRAFT)
        .exclude(state=NoticeState.CLOSED, closed_at__lt=closed_before)
        .select_related("unit")
    )


def public_lines(notice: Notice) -> QuerySet[NoticeLine]:
    """The persons a notice shows the public, on its page and in its PDF: not those whose application
    was withdrawn (publicity.services.mark_withdrawn), who are no longer being publicised."""
    return notice.lines.filter(withdrawn_on__isnull=True)
