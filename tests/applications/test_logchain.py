import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from applications.models import Application, TransitionLog
from config.records import GENESIS
from eligibility.dates import add_months
from exits.models import ExitCase, ExitLog
from tests.applications.helpers import act
from tests.conftest import api_as
from tests.exits.helpers import recognised
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


def verify_fails(capsys) -> str:
    with pytest.raises(CommandError):
        call_command("verify_logs")
    return capsys.readouterr().out


def test_deleting_the_last_entries_is_found(community_user, capsys):
    """issue 12 #4: the application stores its chain's head, so a shortened chain shows."""
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    act(community_user, app, "pass_initial_review")
    last = TransitionLog.objects.filter(application_id=app).order_by("-id")[:2].values_list("pk", flat=True)
    TransitionLog.objects.filter(pk__in=list(last)).delete()
    assert f"申请 {app}：记录少于登记的 3 条，只剩 1 条" in verify_fails(capsys)


def test_deleting_every_entry_is_found(community_user, capsys):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    TransitionLog.objects.filter(application_id=app).delete()
    assert f"申请 {app}：记录少于登记的 2 条，只剩 0 条" in verify_fails(capsys)


def test_an_entry_resealed_without_the_key_is_found(community_user, capsys):
    """Someone with the database but not LOG_CHAIN_KEY edits the last entry, recomputes its hash the
    way anyone could (plain SHA-256) and moves the head along: the keyed hash does not match."""
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    entry = TransitionLog.objects.filter(application_id=app).order_by("-id").first()
    entry.reason = "事后修改"
    forged = entry.unkeyed_hash()
    TransitionLog.objects.filter(pk=entry.pk).update(reason=entry.reason, hash=forged)
    Application.objects.filter(pk=app).update(log_head=forged)
    assert f"记录 {entry.pk} 记录内容与其哈希不符" in verify_fails(capsys)


def test_deleting_the_last_exit_entry_is_found(community_user, county_user, capsys):
    recognition = recognised()
    case = (
        api_as(community_user)
        .post(f"/api/v1/recognitions/{recognition.pk}/exits/", {"reason": "voluntary"}, format="json")
        .json()["id"]
    )
    api_as(county_user).post(f"/api/v1/exits/{case}/confirm/", {}, format="json")
    call_command("verify_logs")
    assert ExitCase.objects.get(pk=case).log_seq == 2
    ExitLog.objects.filter(case_id=case, name="confirm").delete()
    assert f"退出 {case}：记录少于登记的 2 条，只剩 1 条" in verify_fails(capsys)


def test_sweep_proposals_have_a_head(community_user):
    from exits.sweeps import detect_exits

    recognition = recognised()
    summary = detect_exits(add_months(recognition.last_contact_on, 7))
    assert summary["proposed"]["lost_contact"] == 1
    case = ExitCase.objects.get(recognition=recognition, reason="lost_contact")
    entry = ExitLog.objects.get(case=case)
    assert (case.log_seq, case.log_head, entry.prev_hash) == (1, entry.hash, GENESIS)
    assert entry.hash == entry.compute_hash()  # the set-based seal signs what the model signs
    call_command("verify_logs")


def test_rechain_reseals_old_chains_and_refuses_broken_ones(community_user, capsys):
    """Chains written before the key (plain SHA-256, no head) are re-sealed by manage.py rechain;
    one already broken is left for a person to look at."""
    intact, tampered = (ApplicationFactory(actor=community_user, state="initial_review").pk for _ in range(2))
    for app in (intact, tampered):
        previous = GENESIS
        for entry in TransitionLog.objects.filter(application_id=app).order_by("id"):
            entry.prev_hash = previous
            entry.hash = entry.unkeyed_hash()
            TransitionLog.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
            previous = entry.hash
    Application.objects.filter(pk__in=[intact, tampered]).update(log_seq=0, log_head="")
    TransitionLog.objects.filter(application_id=tampered, name="accept").update(reason="改过")
    with pytest.raises(CommandError):
        call_command("rechain")
    out = capsys.readouterr().out
    assert f"申请 {tampered}：原记录链已不完整" in out and '"resealed": 1' in out
    assert f"申请 {intact}" not in verify_fails(capsys)
    assert Application.objects.get(pk=intact).log_seq == 2
