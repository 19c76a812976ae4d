import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from applications.models import TransitionLog
from tests.applications.helpers import act
from tests.factories import ApplicationFactory


def test_an_intact_chain_verifies(community_user, capsys):
    ApplicationFactory(actor=community_user, state="initial_review")
    call_command("verify_logs")
    assert capsys.readouterr().out.strip().endswith('{"checked": 2, "broken": 0}')


def test_an_edited_entry_is_named(community_user, capsys):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    act(community_user, app, "pass_initial_review")
    entry = TransitionLog.objects.filter(application_id=app, name="accept").get()
    TransitionLog.objects.filter(pk=entry.pk).update(reason="事后修改")
    with pytest.raises(CommandError):
        call_command("verify_logs")
    assert f"记录 {entry.pk} 记录内容与其哈希不符" in capsys.readouterr().out


def test_a_deleted_entry_breaks_the_link(community_user, capsys):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    act(community_user, app, "pass_initial_review")
    TransitionLog.objects.filter(application_id=app, name="accept").delete()
    with pytest.raises(CommandError):
        call_command("verify_logs")
    assert "链接不符" in capsys.readouterr().out


def test_entries_cannot_be_changed_or_deleted_through_the_model(community_user):
    app = ApplicationFactory(actor=community_user, state="initial_review")
    entry = TransitionLog.objects.get(application=app, name="accept")
    entry.reason = "x"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
