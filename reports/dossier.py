"""一人一册 (issue 11 item 8): one person's whole file as one printable PDF — every application in the reader's
scope with its facts, categories and articles, commitments, materials, the opinion of every level, the notices it
was in with their periods, objections and findings, and its timeline; then each recognition with its plan,
services, subsidies and exits.

Staff only, through the existing gates (applications.access, exits.access): a person with nothing in the reader's
scope is a 404, and only what is in scope is printed. The full ID number is printed for county level and above
(the level that recognises, 第十一条 / 二(三)); community and township staff get it masked. Every download is
audited (accounts.audit, action "download"). A fixed number of queries whatever the history's length."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.idnumber import mask, mask_name
from accounts.models import Role, User
from accounts.scoping import staff_prefix
from applications.access import applications_for_user
from applications.models import Applicant, Application, TransitionLog
from applications.services import record_is_theirs
from eligibility import policies
from exits.access import recognitions_for_user
from exits.models import Need, Recognition
from publicity.models import NoticeLine

FULL_ID_ROLES = frozenset({Role.COUNTY, Role.PREFECTURE, Role.PROVINCE, Role.ADMIN})


@dataclass
class Dossier:
    person: Applicant
    # the person's name and contact as the reader may see them: the record's only where the reader's scope
    # holds every case of the person (applications.services.record_is_theirs), else the newest case's own
    name: str
    phone: str
    address: str
    id_number: str  # full or masked, by the reader's level
    full_id: bool
    applications: list[Application] = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)
    printed_at: datetime | None = None
    printed_by: User | None = None

    @property
    def filename(self) -> str:
        return f"就业困难人员档案（一人一册）-{mask_name(self.name)}.pdf"


def shows_full_id(user: User) -> bool:
    return user.is_superuser or user.role in FULL_ID_ROLES


def dossier_for(user: User, person_id: int) -> Dossier:
    """What `user` may see of the person, or 404. Queries: 9 for applications (one each for the applications,
    opinions, log, commitments, materials, notice lines, objections) and 5 for recognitions (with plan; services,
    subsidies, exits), whatever their number."""
    if staff_prefix(user) is None:  # the person's own view is 我的申请; the case file is for staff
        raise Http404
    applications = list(
        applications_for_user(user)
        .filter(applicant_id=person_id)
        .order_by("received_on", "id")
        .prefetch_related(
            "opinions__unit",
            "opinions__officer",
            Prefetch("log", queryset=TransitionLog.objects.select_related("actor").order_by("id")),
            "commitments",
            "materials",
            Prefetch(
                "notice_lines",
                queryset=NoticeLine.objects.select_related("notice").prefetch_related("objections"),
            ),
        )
    )
    recognitions = list(
        recognitions_for_user(user)
        .filter(applicant_id=person_id)
        .select_related("approving_unit", "plan")
        .order_by("recognized_on", "id")
        .prefetch_related("services", "subsidies", "exits")
    )
    if not applications and not recognitions:
        raise Http404
    person = applications[0].applicant if applications else recognitions[0].applicant
    full = shows_full_id(user)
    for application in applications:
        policy = policies.get(application.policy_code)
        labels = {m.code: m.label for m in policy.materials}
        application.material_rows = [(labels.get(m.kind, m.kind), m) for m in application.materials.all()]
    for recognition in recognitions:
        recognition.plan_or_none = getattr(recognition, "plan", None)
        needs = recognition.plan_or_none.needs if recognition.plan_or_none else []
        recognition.need_labels = [Need(code).label if code in Need.values else code for code in needs]
    if record_is_theirs(user, person):
        contact = (person.name, person.phone, person.address)
    elif applications:
        newest = applications[-1]
        contact = (newest.applicant_name, newest.applicant_phone, newest.applicant_address)
    else:  # a recognition imported in scope, the person's cases elsewhere: no contact of theirs
        contact = (person.name, "", "")
    return Dossier(
        person=person,
        name=contact[0],
        phone=contact[1],
        address=contact[2],
        id_number=person.id_number if full else mask(person.id_number),
        full_id=full,
        applications=applications,
        recognitions=recognitions,
        printed_at=timezone.localtime(),
        printed_by=user,
    )


def dossier_html(dossier: Dossier) -> str:
    return render_to_string("pdf/dossier.html", {"d": dossier})
