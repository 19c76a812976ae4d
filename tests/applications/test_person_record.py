"""A person's record is shared by every unit that receives them; each application keeps the contact
details recorded on it (DESIGN.md §10). A unit whose scope lacks some of the person's cases neither
reads the record back through its entry nor rewrites it, so the phone to which identity codes go stays
the person's. Found by a review: a Jilin officer's entry of a Xinjiang person's number showed the
Xinjiang phone and address, renamed the Xinjiang case without a log entry, and sent the person's
identity code to the phone the officer typed."""

import io
import subprocess
from datetime import date

import pytest

from accounts import sms
from accounts.models import User
from applications.models import Applicant, Application
from tests.accounts.identity_helpers import person, received, register, token_client
from tests.conftest import api_as
from tests.factories import FactsFactory, staff

XJ = person(31)
TYPED_PHONE = "13911112222"


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()


@pytest.fixture
def xinjiang_case(community_user) -> int:
    return received(community_user, XJ)


def jilin_entry(**who):
    facts = {k: v.isoformat() if isinstance(v, date) else v for k, v in FactsFactory(jilin=True).items()}
    body = {
        "unit_code": "220102001001",
        "channel": "offline",
        "applicant": {"name": "李冒名", "id_number": XJ["id_number"], "phone": "", "address": "", **who},
        "facts": facts,
        "commitments": ["truthfulness"],
    }
    return api_as(staff("jl_community")).post("/api/v1/applications/", body, format="json")


def record() -> dict:
    return Applicant.objects.filter(id_number=XJ["id_number"]).values("name", "phone", "address").get()


def test_another_units_entry_shows_what_it_typed_and_leaves_the_record(xinjiang_case, community_user):
    response = jilin_entry()
    assert response.status_code == 201, response.json()
    shown = response.json()["applicant"]
    assert (shown["name"], shown["phone"], shown["address"]) == ("李冒名", "", "")  # not the Xinjiang record's
    assert record() == {"name": XJ["name"], "phone": XJ["phone"], "address": XJ["address"]}

    jilin = response.json()["id"]
    edit = {"applicant": {"name": "李冒名二", "phone": TYPED_PHONE, "address": "南关区一号"}}
    assert api_as(staff("jl_community")).patch(f"/api/v1/applications/{jilin}/", edit, format="json").status_code == 200
    assert record() == {"name": XJ["name"], "phone": XJ["phone"], "address": XJ["address"]}
    theirs = api_as(community_user).get(f"/api/v1/applications/{xinjiang_case}/").json()["applicant"]
    assert (theirs["name"], theirs["phone"], theirs["address"]) == (XJ["name"], XJ["phone"], XJ["address"])
    assert Application.objects.get(pk=xinjiang_case).applicant_name == XJ["name"]  # what its searches read
    ours = api_as(staff("jl_community")).get(f"/api/v1/applications/{jilin}/").json()
    assert (ours["applicant"]["name"], ours["applicant"]["phone"]) == ("李冒名二", TYPED_PHONE)
    assert ours["history"][-1]["name"] == "edit"  # the change is on the case that made it


def test_the_case_page_shows_the_cases_own_details(client, xinjiang_case):
    jilin = jilin_entry().json()["id"]
    client.force_login(staff("jl_community"))
    page = client.get(f"/applications/{jilin}/").content.decode()
    assert "李冒名" in page and XJ["phone"] not in page and XJ["address"] not in page and XJ["name"] not in page


def test_the_identity_code_still_goes_to_the_persons_own_phone(xinjiang_case):
    assert jilin_entry(phone=TYPED_PHONE).status_code == 201
    assert register(XJ["name"], XJ["id_number"], "13977770031").status_code == 201
    assert token_client(XJ["id_number"]).post("/api/v1/me/verify-identity/", {}, format="json").status_code == 202
    assert [m.to for m in sms.outbox] == [XJ["phone"]]


def test_the_unit_holding_every_case_corrects_the_record(xinjiang_case, community_user):
    edit = {"applicant": {"phone": TYPED_PHONE, "name": "阿依古丽·新"}}
    assert (
        api_as(community_user).patch(f"/api/v1/applications/{xinjiang_case}/", edit, format="json").status_code == 200
    )
    assert record()["phone"] == TYPED_PHONE and record()["name"] == "阿依古丽·新"
    assert register(XJ["name"], XJ["id_number"], "13977770031").status_code == 201
    assert token_client(XJ["id_number"]).post("/api/v1/me/verify-identity/", {}, format="json").status_code == 202
    assert [m.to for m in sms.outbox] == [TYPED_PHONE]


def test_a_recognition_imported_elsewhere_keeps_the_record_from_another_units_entry(demo, tmp_path, community_user):
    """A person known only by an imported recognition (no application) was the record of whoever entered
    the number next: record_is_theirs looked at applications only (a review's finding)."""
    from django.core.management import call_command

    number = XJ["id_number"]
    path = tmp_path / "legacy.csv"
    path.write_text(f"id_number,name,unit_code,categories,recognized_on\n{number},王一,650102001001,dibao,2025-03-01\n")
    call_command("import_recognitions", str(path), stdout=io.StringIO())
    before = record()
    assert jilin_entry(phone=TYPED_PHONE).status_code == 201
    assert record() == before


def test_another_unit_neither_reads_the_record_in_the_dossier_nor_verifies_the_person(client, xinjiang_case):
    jilin_case = jilin_entry().json()["id"]
    person = Application.objects.get(pk=jilin_case).applicant_id
    assert register(XJ["name"], XJ["id_number"], "13977770031").status_code == 201
    account = User.objects.get(username=XJ["id_number"]).pk
    jilin = staff("jl_community")
    refused = api_as(jilin).post(f"/api/v1/accounts/{account}/verify-identity/", {}, format="json")
    assert refused.status_code == 403 and "辖区以外" in refused.json()["detail"]
    assert Applicant.objects.get(pk=person).user_id is None

    client.force_login(jilin)
    pdf = client.get(f"/persons/{person}/dossier.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "李冒名" in text and XJ["name"] not in text and XJ["phone"] not in text and XJ["address"] not in text
