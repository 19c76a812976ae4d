from datetime import date

from accounts.models import User
from applications.models import Application
from applications.services import application_create
from applications.workflow import application_transition
from eligibility.facts import Facts
from tests.applications.helpers import provide_materials
from tests.eligibility.helpers import make_id

NOTICE = {"supervision_phone": "0991-1234567", "contact_person": "张敏", "agency_name": "燕儿窝街道东风社区服务站"}


def pending(user: User, n: int = 1, *, unit_code="650102001001", start=0) -> list[int]:
    """n applications of `user`'s unit in pending_notice, built through the services."""
    ids = []
    facts = {"laid_off_from_soe": True} if unit_code.startswith("22") else {"receiving_dibao": True}
    for i in range(start, start + n):
        number = make_id(date(1975 + i % 20, 1 + i % 12, 1 + i % 28), "F", region=unit_code[:6], seq=i % 100)
        application = application_create(
            actor=user,
            unit_code=unit_code,
            channel="offline",
            applicant={"name": f"公示人{i}"},
            facts=Facts(
                id_number=number,
                female_original_retirement_age=55,  # born from 1975: still of working age (第五条)
                local_resident=True,
                local_hukou=True,
                urban=True,
                able_to_work=True,
                willing_to_work=True,
                unemployment_registered_on=date(2025, 1, 2),
                **facts,
            ),
            commitments=["truthfulness"],
        )
        provide_materials(user, application.pk)
        application_transition(application_id=application.pk, name="accept", actor=user)
        application_transition(application_id=application.pk, name="pass_initial_review", actor=user)
        ids.append(application.pk)
    return ids


def full_ids(ids):
    return list(Application.objects.filter(pk__in=ids).values_list("applicant__id_number", flat=True))
