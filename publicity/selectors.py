from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.scoping import scope
from publicity.models import Notice, NoticeState


def notices_for_user(user: User) -> QuerySet[Notice]:
    return scope(Notice.objects.select_related("unit"), user)


def notice_for_user(user: User, pk: int) -> Notice:
    return get_object_or_404(notices_for_user(user), pk=pk)


def public_notices() -> QuerySet[Notice]:
    """What anyone may see: published and closed notices, never drafts."""
    return Notice.objects.exclude(state=NoticeState.DRAFT).select_related("unit")
