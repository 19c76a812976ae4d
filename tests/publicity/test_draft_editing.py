"""A draft notice is corrected or deleted before it is published, through publicity.services, by
its own unit only (issue 11, item 2); a published one is not."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from applications.models import Application, State
from publicity.models import Notice, NoticeLine, NoticeState
from publicity.services import notice_delete, notice_update, objection_record
from tests.factories import ApplicationFactory, NoticeDetailsFactory, NoticeFactory, _notice_over_by_today, on, staff


def details(**over):
    return {**NoticeDetailsFactory(), "title": "", "external_url": "", **over}


def test_a_draft_takes_people_off_and_on_and_is_numbered_again(community_user):
    first, second, third = ApplicationFactory.create_batch(3, actor=community_user, state=State.PENDING_NOTICE)
    notice = NoticeFactory(actor=community_user, applications=[first, second])
    notice_update(
        actor=community_user,
        notice_id=notice.pk,
        remove_ids=[first.pk],
        add_ids=[third.pk],
        **details(supervision_phone="0991-7654321"),
    )
    lines = list(NoticeLine.objects.filter(notice=notice).order_by("seq"))
    assert [(line.seq, line.application_id) for line in lines] == [(1, second.pk), (2, third.pk)]
    notice.refresh_from_db()
    assert notice.supervision_phone == "0991-7654321" and notice.state == NoticeState.DRAFT
    # the one taken off may go on another notice
    assert NoticeFactory(actor=community_user, applications=[first]).lines.get().application_id == first.pk


def test_a_draft_is_not_emptied_nor_given_what_is_not_waiting(community_user):
    waiting = ApplicationFactory(actor=community_user, state=State.PENDING_NOTICE)
    notice = NoticeFactory(actor=community_user, applications=[waiting])
    with pytest.raises(ValidationError, match="名单不能为空"):
        notice_update(actor=community_user, notice_id=notice.pk, remove_ids=[waiting.pk], **details())
    submitted = ApplicationFactory(actor=community_user)
    with pytest.raises(ValidationError, match="不在待公示状态"):
        notice_update(actor=community_user, notice_id=notice.pk, add_ids=[submitted.pk], **details())
    with pytest.raises(ValidationError):
        notice_update(actor=community_user, notice_id=notice.pk, **details(contact_person=" "))
    assert list(notice.lines.values_list("application_id", flat=True)) == [waiting.pk]


def test_a_draft_is_deleted_and_its_people_wait_for_another(community_user, other_community_user):
    waiting = ApplicationFactory(actor=community_user, state=State.PENDING_NOTICE)
    notice = NoticeFactory(actor=community_user, applications=[waiting])
    with pytest.raises(PermissionDenied):
        notice_delete(actor=other_community_user, notice_id=notice.pk)
    notice_delete(actor=community_user, notice_id=notice.pk)
    assert not Notice.objects.filter(pk=notice.pk).exists()
    assert Application.objects.get(pk=waiting.pk).state == State.PENDING_NOTICE


def test_a_published_notice_is_neither_edited_nor_deleted(community_user):
    notice = NoticeFactory(actor=community_user, state=NoticeState.PUBLISHED)
    with pytest.raises(TransitionNotAllowed):
        notice_delete(actor=community_user, notice_id=notice.pk)
    with pytest.raises(TransitionNotAllowed):
        notice_update(actor=community_user, notice_id=notice.pk, **details())


def test_editing_and_deleting_from_the_page(client, community_user):
    first, second = ApplicationFactory.create_batch(2, actor=community_user, state=State.PENDING_NOTICE)
    notice = NoticeFactory(actor=community_user, applications=[first])
    client.force_login(community_user)
    page = client.get(f"/staff/notices/{notice.pk}/").content.decode()
    assert "修改草稿" in page and f'name="add_ids" value="{second.pk}"' in page and "删除这份草稿…" in page
    form = {**details(title="东风社区就业困难人员初审公示（第二批）"), "add_ids": [second.pk]}
    response = client.post(f"/staff/notices/{notice.pk}/edit/", form, follow=True)
    assert "公示草稿已修改" in response.content.decode() and "（第二批）" in response.content.decode()
    assert notice.lines.count() == 2
    asked = client.post(f"/staff/notices/{notice.pk}/delete/")
    assert asked.status_code == 200 and "确认删除这份公示草稿？" in asked.content.decode()
    assert Notice.objects.filter(pk=notice.pk).exists()
    done = client.post(f"/staff/notices/{notice.pk}/delete/", {"confirmed": "1"})
    assert done.status_code == 302 and not Notice.objects.filter(pk=notice.pk).exists()


def test_the_close_button_waits_for_objections_to_be_verified(client, community_user):
    application = ApplicationFactory(actor=community_user, state=State.PENDING_NOTICE)
    day = _notice_over_by_today(community_user.unit_id)
    notice = NoticeFactory(actor=community_user, applications=[application], published_on=day)
    with on(day):
        objection_record(
            actor=community_user,
            notice_id=notice.pk,
            application_id=application.pk,
            content="有营业执照。",
            reporter_name="",
            reporter_contact="",
        )
    client.force_login(staff("xj_community"))
    page = client.get(f"/staff/notices/{notice.pk}/").content.decode()
    assert "公示期满，结束公示" not in page and "核实后才能结束公示" in page
