"""The objects the authorisation matrix reaches through its URLs, built once per module through the
real services (tests/factories.py), and the people who ask for them (ROLES).

Everything lives in 东风社区 (650102001001, Xinjiang): `application` approved and recognised, the
verified "owner"'s own case, with its materials and decision letter; `recognition` with an exit
proposal `exit_case`; `noticed`, a second case in public notice (`notice`, published) with an
`objection`; `notification`, the owner's. A URL needing a new kind of object: add a field here,
build the object in build_world() through the services, and name the field in the matrix row."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.demo import seed_demo
from accounts.models import IdentityMethod, Notification, OrgUnit, Role, User
from applications.models import Application, Material
from exits.models import ExitCase, Recognition
from exits.services import exit_propose
from outreach import services as outreach
from outreach.models import Person, PushedPerson, PushList, Visit
from publicity.models import Notice, NoticeState, Objection
from publicity.services import objection_record
from tests.factories import ApplicationFactory, NoticeFactory, make_id, staff

# Who asks. In-scope staff sit above 东风社区, where every object lives; out-of-scope staff sit in
# another community of the same street's county (xj_community2), another county (喀什), another
# province (吉林). "owner" is the verified person of `application`; "stranger" a verified applicant
# whose cases these are not; "unverified" an account registered with the ID number of `noticed`'s
# person and never checked (DESIGN.md §10: it sees nothing of that person).
ROLES = {
    "anonymous": None,
    "unverified": None,
    "owner": None,
    "stranger": None,
    "community": "xj_community",
    "community_out": "xj_community2",
    "township": "xj_township",
    "township_out": "ks_township",
    "county": "xj_county",
    "county_out": "ks_county",
    "prefecture": "urumqi_prefecture",
    "prefecture_out": "changchun_prefecture",
    "province": "xj_province",
    "province_out": "jl_province",
    "admin": "admin",
}
OWNER_NAME, NOTICED_NAME = "认定对象甲", "公示对象乙"


@dataclass
class World:
    users: dict[str, User | None]
    application: Application
    noticed: Application
    material: Material
    notice: Notice
    objection: Objection
    recognition: Recognition
    exit_case: ExitCase
    notification: Notification
    push_list: PushList
    pushed: PushedPerson
    person: Person
    visit: Visit
    unit_code: str = "650102001001"
    policy_code: str = "xinjiang-2025"

    def value(self, name: str):
        """A row's kwarg: the pk of the world's object of that name, or the name itself (a literal)."""
        obj = getattr(self, name, name)
        return getattr(obj, "pk", obj)

    @property
    def applicant(self):
        """The approved case's person (一人一册, reports.dossier)."""
        return self.application.applicant

    @property
    def secrets(self) -> list[str]:
        """What no one outside the cases' scope may read: the two persons' names and ID numbers."""
        people = (self.application.applicant, self.noticed.applicant)
        return [p.name for p in people] + [p.id_number for p in people]


def _applicant(id_number: str, *, verified: bool, full_name: str) -> User:
    user = User.objects.create_user(
        username=id_number, password="applicant-pass-2025", role=Role.APPLICANT, full_name=full_name
    )
    user.id_number = id_number
    if verified:
        user.identity_verified_at = timezone.now()
        user.identity_method = IdentityMethod.IN_PERSON
    user.save()
    return user


def build_world() -> World:
    seed_demo()
    for username, code in (("urumqi_prefecture", "650100000000"), ("changchun_prefecture", "220100000000")):
        User.objects.create_user(username=username, password="x", role=Role.PREFECTURE, unit=OrgUnit(code=code))
    community = staff("xj_community")
    owner = _applicant(make_id(date(1990, 1, 1), seq=30), verified=True, full_name=OWNER_NAME)
    application = ApplicationFactory(actor=community, state="approved", account=owner)
    recognition = Recognition.objects.get(application=application)
    exit_case = exit_propose(
        actor=community,
        recognition_id=recognition.pk,
        reason="other",
        effective_on=recognition.recognized_on,  # an exit comes after the recognition
        note="本人书面申请退出。",
    )
    noticed = ApplicationFactory(actor=community, state="pending_notice", person__name=NOTICED_NAME)
    notice = NoticeFactory(actor=community, applications=[noticed], state=NoticeState.PUBLISHED)
    objection = objection_record(
        actor=community,
        notice_id=notice.pk,
        application_id=noticed.pk,
        content="申请人另有工作。",
        reporter_name="王五",
        reporter_contact="13712345678",
    )
    # outreach: a list the 自治区 pushed to 东风社区 (one pending person), and that person visited at home
    pushed_number = make_id(date(1975, 5, 5), seq=32)
    data = f"id_number,name,unit_code,phone\n{pushed_number},推送对象丙,650102001001,13800000032\n".encode()
    province = staff("xj_province")
    push_list = outreach.push_list_create(
        actor=province, name="名单.csv", data=data, rows=outreach.push_list_read(name="名单.csv", data=data)
    )
    visit = outreach.visit_record(
        actor=community,
        id_number=pushed_number,
        name="推送对象丙",
        unit_code="650102001001",
        visited_on=timezone.localdate(),
        findings="本人在家，失业两年。",
    )
    people = {
        "owner": owner,
        "stranger": _applicant(make_id(date(1985, 2, 2), seq=31), verified=True, full_name="另一申请人"),
        "unverified": _applicant(noticed.applicant.id_number, verified=False, full_name="冒用者"),
    }
    return World(
        users={role: people.get(role) or (staff(name) if name else None) for role, name in ROLES.items()},
        application=application,
        noticed=noticed,
        material=application.materials.first(),
        notice=notice,
        objection=objection,
        recognition=recognition,
        exit_case=exit_case,
        notification=Notification.objects.filter(user=owner).first(),
        push_list=push_list,
        pushed=PushedPerson.objects.get(push_list=push_list),
        person=visit.person,
        visit=visit,
    )
