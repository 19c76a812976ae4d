"""Fuzzing the two application forms (issue 12, proof 2): hypothesis fills the staff intake
(/applications/new/) and each step of the online application (/my/apply/<step>/) with arbitrary values —
odd Unicode, control characters, huge numbers, impossible dates, lists where one value is expected.
Never a 500; an intake answered with the form again saved nothing, and one that saved redirects to its case.

Bounded in CI (FUZZ_FORM_EXAMPLES, default 15 per form); `make fuzz` runs 200."""

import os
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from applications.models import Applicant, Application, TransitionLog
from applications.online import KEYS
from applications.views import IntakeForm
from tests.factories import make_id

EXAMPLES = int(os.environ.get("FUZZ_FORM_EXAMPLES", "15"))
INTAKE_FIELDS = [
    *IntakeForm.base_fields,
    "monthly_income",
    "unemployment_registered_on",
    "graduated_on",
    "female_original_retirement_age",
]

VALUES = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", "on", "1", "0", "-1", "1e309", "NaN", "9" * 40, "2025-02-30", "0001-01-01", "9999-12-31"]),
    st.sampled_from(["\u202e申请人", "\x07", "\x00", "<script>", "650102001001", "xinjiang-2025", "truthfulness"]),
    st.dates().map(str),
    st.integers().map(str),
)


def form_data(fields: list[str]):
    return st.fixed_dictionaries({}, optional={f: st.one_of(VALUES, st.lists(VALUES, max_size=3)) for f in fields})


def valid_intake(data: dict) -> dict:
    """Half the examples start from a valid intake, so the fuzz reaches past the first field errors."""
    return {
        "policy": "xinjiang-2025",
        "name": "张三",
        "phone": "13800000000",
        "address": "东风路1号",
        "unit_code": "650102001001",
        "channel": "offline",
        "commitments": ["truthfulness"],
        "id_number": make_id(date(1985, 5, 5), seq=77),
        "local_hukou": "on",
        "local_resident": "on",
        "urban": "on",
        "able_to_work": "on",
        "willing_to_work": "on",
        "receiving_dibao": "on",
        "unemployment_registered_on": "2024-01-02",
        **data,
    }


def test_the_staff_intake_never_fails_and_never_half_saves(client, community_user):
    client.force_login(community_user)

    @given(data=form_data([*INTAKE_FIELDS, "id_number", "policy", "as_of"]), start_valid=st.booleans())
    @settings(max_examples=EXAMPLES, database=None)
    def run(data, start_valid):
        before = Application.objects.count(), Applicant.objects.count(), TransitionLog.objects.count()
        response = client.post("/applications/new/", valid_intake(data) if start_valid else data)
        assert response.status_code in (200, 302), response.status_code
        after = Application.objects.count(), Applicant.objects.count(), TransitionLog.objects.count()
        if response.status_code == 200:
            assert after == before, "a refused intake saved something"
        else:
            assert after[0] == before[0] + 1 and response["Location"].startswith("/applications/")

    run()


def test_the_online_application_steps_never_fail(client, applicant):
    client.force_login(applicant)

    @given(step=st.sampled_from(KEYS), data=form_data([*INTAKE_FIELDS, "confirm", "truthfulness"]))
    @settings(max_examples=EXAMPLES, database=None)
    def run(step, data):
        before = Application.objects.count()
        response = client.post(f"/my/apply/{step}/", data)
        assert response.status_code in (200, 302, 400, 403), response.status_code
        if step != "commitments":
            assert Application.objects.count() == before, "only the last step submits"

    run()
