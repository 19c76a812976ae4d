"""Every state change of a case gives its person a message (DESIGN.md §5, §10): in the inbox, in
the transition's transaction; by email after the commit when the account has an address."""

from django.core import mail

from accounts.models import Notification
from tests.applications.helpers import act
from tests.factories import ApplicationFactory


def test_the_person_gets_an_inbox_message_on_each_state_change(community_user, applicant, settings):
    app = ApplicationFactory(actor=community_user, account=applicant, materials=True).pk
    act(community_user, app, "accept")
    note = Notification.objects.get(user=applicant)
    assert "材料齐全，受理" in note.body and "初审" in note.body and "办理期限" in note.body
    assert note.url == f"/applications/{app}/"


def test_no_message_for_what_the_person_did_themself(community_user, applicant):
    app = ApplicationFactory(actor=community_user, account=applicant).pk
    act(applicant, app, "withdraw")
    assert not Notification.objects.filter(user=applicant).exists()


def test_an_email_copy_is_sent_after_the_commit(
    community_user, applicant, settings, django_capture_on_commit_callbacks
):
    from config.celery import app as celery

    applicant.email = "person@example.org"
    applicant.save(update_fields=["email"])
    app = ApplicationFactory(actor=community_user, account=applicant).pk
    celery.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            act(community_user, app, "withdraw", reason="核实后撤回。")
        assert mail.outbox == []  # nothing leaves before the commit
        for callback in callbacks:
            callback()
    finally:
        celery.conf.task_always_eager = False
    assert mail.outbox[0].to == ["person@example.org"] and "撤回申请" in mail.outbox[0].body
