"""Test objects built the way the system builds them (STYLE.md §6).

People and facts are dicts, as the API takes them; applications, materials and notices are made
through the real services (application_create, material_upload, application_transition,
notice_create / notice_publish / notice_close), one step at a time, by the officer whose step it is.

    app = ApplicationFactory(actor=community_user, state="initial_review")
    jilin = ApplicationFactory(actor=jl_community, state="approved", person__woman=True)
    notice = NoticeFactory(applications=[app_1, app_2], state="closed", upheld=[app_1])
"""

from contextlib import nullcontext
from datetime import date, datetime, time, timedelta

import factory
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import areas, idnumber
from accounts.models import Role, User
from applications.identity import identity_verify_in_person
from applications.models import Application, Channel, Material, State
from applications.services import application_create, material_upload
from applications.workflow import application_transition
from eligibility import workdays
from eligibility.facts import facts_from_json
from publicity.models import Notice, NoticeState
from publicity.services import notice_close, notice_create, notice_publish, objection_record, objection_resolve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the signature is what material_upload checks
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_id(birth: date, sex: str = "M", region: str = "650102", seq: int = 12) -> str:
    """A valid 18-digit number (GB 11643): the 17th digit is odd for men, even for women."""
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{1 if sex == 'M' else 2}"
    return first17 + idnumber.check_digit(first17)


def png(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def staff(username: str) -> User:
    return User.objects.select_related("unit").get(username=username)


def officer(unit_code: str, role: str) -> User:
    """The township or county officer above `unit_code` (the seeded people of accounts.demo)."""
    return staff_of(areas.ancestor_at(unit_code, role), role)


def staff_of(unit_code: str, *roles: str) -> User:
    users = User.objects.select_related("unit").filter(unit_id=unit_code, role__in=roles, is_active=True)
    if (user := users.order_by("id").first()) is None:  # actor None would be the system: no access check
        raise LookupError(f"no {'/'.join(roles)} officer at {unit_code}")
    return user


def handling_officer(application: Application) -> User:
    """Who reviews first where an applicant applied online: an officer of the handling unit."""
    return staff_of(application.handling_unit_id, Role.COMMUNITY, Role.TOWNSHIP)


def on(day: date):
    """Travel to 09:00 Beijing time on `day`, the clock held (as the tests' own travels do)."""
    return time_machine.travel(datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone()), tick=False)


class PersonFactory(factory.DictFactory):
    """An applicant as the API takes one. The ID number is valid and unique per call: `region`
    (the unit's first six digits), `birth` (working age: born from 1980) and `sex` ("M"; a woman
    with `woman=True`, whose facts then need her original retirement age). `account`: the
    person of an applicant's own account."""

    class Params:
        region = "650102"
        sex = "M"
        birth = factory.Sequence(lambda n: date(1980, 1, 1) + timedelta(days=n // 100))
        seq = factory.Sequence(lambda n: n % 100)
        account = None
        woman = factory.Trait(sex="F")

    name = factory.LazyAttributeSequence(lambda o, n: o.account.full_name if o.account else f"申请人{n}")
    id_number = factory.LazyAttribute(
        lambda o: o.account.id_number if o.account else make_id(o.birth, o.sex, o.region, o.seq)
    )
    phone = factory.Sequence(lambda n: f"138{n % 10**8:08d}")
    address = factory.Sequence(lambda n: f"东风路{n + 1}号")


class FactsFactory(factory.DictFactory):
    """The facts as the API takes them (ISO dates; the ID number is the person's). By default
    someone who meets every basic requirement of xinjiang-2025, receives 低保 (第五条(二)) and has
    been registered unemployed since 2024 (第五条(七)). Traits: `jilin` a laid-off worker of a
    state-owned enterprise (jilin-2022 一(一)1), `disabled`, `land_expropriated` (a rural person,
    第五条(四)), `woman` her original retirement age (55: of working age until 2035 at least)."""

    local_hukou = True
    local_resident = True
    urban = True
    able_to_work = True
    willing_to_work = True
    unemployment_registered_on = "2024-01-02"
    receiving_dibao = True

    class Params:
        jilin = factory.Trait(receiving_dibao=False, laid_off_from_soe=True)
        disabled = factory.Trait(receiving_dibao=False, disability_certified=True)
        land_expropriated = factory.Trait(urban=False, receiving_dibao=False, land_fully_expropriated=True)
        woman = factory.Trait(female_original_retirement_age=55)


def is_woman(number: str) -> bool:
    try:
        return idnumber.parse(number).sex == "F"
    except idnumber.InvalidIdNumber:  # a test of the refusal
        return False


def facts_for(unit_code: str, person: dict, **facts) -> dict:
    """FactsFactory for this unit's policy and this person's sex, `facts` over it."""
    return FactsFactory(jilin=unit_code.startswith("22"), woman=is_woman(person["id_number"]), **facts)


class MaterialFactory(factory.Factory):
    """One item of the checklist uploaded through material_upload (a tiny valid PNG)."""

    class Meta:
        model = Material

    application = None
    actor = factory.LazyAttribute(lambda o: o.application.created_by)
    kind = "id_card"
    upload = factory.LazyFunction(png)

    @classmethod
    def _create(cls, model_class, *, application, actor, kind, upload):
        return material_upload(actor=actor, application=application, kind=kind, upload=upload)


def provide_materials(application: Application, actor: User | None = None) -> list[Material]:
    """Upload what is asked for: the checklist (第八条 / 二(一)), or what a one-time notice listed
    and has not been uploaded since."""
    application.refresh_from_db(fields=["state", "missing_materials"])  # a test may have moved it by HTTP
    if application.state == State.AWAITING_MATERIALS:
        codes = application.outstanding_requested_materials()
    else:
        codes = application.missing_required_materials()
    return [MaterialFactory(application=application, actor=actor or application.created_by, kind=c) for c in codes]


AFTER_NOTICE = frozenset({State.TOWNSHIP_REVIEW, State.COUNTY_REVIEW, State.APPROVED, State.REJECTED})


class ApplicationFactory(factory.Factory):
    """An application entered by `actor` (the handling unit's officer, or an applicant online) for
    `unit_code` (default: the actor's unit), taken to `state` the way people would: the checklist
    uploaded (`materials`), accepted, the initial review passed, a notice published and closed
    after its 3 working days, the township (Xinjiang, below a community) and the county deciding.

    Past the notice, the story starts on the last working day whose notice period is over by
    today, so the notice closes today and what the test does next comes after it.
    `passed=False` is the negative road: the initial review fails with a reason and, in Xinjiang,
    goes up without a notice (第九条); Jilin rejects there (二(二)). `withdrawn` withdraws on receipt.
    `account`: the applicant's own user, tied to the person by the officer's in-person check."""

    class Meta:
        model = Application

    actor = factory.LazyFunction(lambda: staff("xj_community"))
    unit_code = factory.LazyAttribute(lambda o: o.actor.unit_id or "650102001001")
    account = factory.LazyAttribute(lambda o: o.actor if o.actor.is_applicant else None)
    person = factory.SubFactory(
        PersonFactory,
        region=factory.LazyAttribute(lambda p: p.factory_parent.unit_code[:6]),
        account=factory.SelfAttribute("..account"),
    )
    facts = factory.SubFactory(
        FactsFactory,
        jilin=factory.LazyAttribute(lambda f: f.factory_parent.unit_code.startswith("22")),
        woman=factory.LazyAttribute(lambda f: is_woman(f.factory_parent.person["id_number"])),
    )
    channel = factory.LazyAttribute(lambda o: Channel.ONLINE if o.actor.is_applicant else Channel.OFFLINE)
    consent_recorded = factory.LazyAttribute(lambda o: o.channel == Channel.PROACTIVE)
    commitments = factory.LazyFunction(lambda: ["truthfulness"])
    state = State.SUBMITTED
    materials = factory.LazyAttribute(
        lambda o: o.state not in (State.SUBMITTED, State.AWAITING_MATERIALS, State.WITHDRAWN)
    )
    passed = True

    @classmethod
    def _create(cls, model_class, *, actor, account, person, facts, state, materials, passed, **intake):
        through_notice = passed and state in AFTER_NOTICE
        with on(_notice_over_by_today(intake["unit_code"])) if through_notice else nullcontext():
            application = application_create(
                actor=actor,
                applicant=person,
                facts=facts_from_json({**_iso(facts), "id_number": person["id_number"]}),
                **intake,
            )
            if account is not None and not actor.is_applicant:  # staff saw the person's ID card (DESIGN.md §10)
                identity_verify_in_person(officer=actor, account_id=account.pk)
            if materials and state != State.AWAITING_MATERIALS:
                provide_materials(application, actor)
            handler = handling_officer(application) if actor.is_applicant else actor
            if through_notice:
                application = _walk(application, to=State.PUBLIC_NOTICE, actor=handler, passed=True)
        application = _walk(application, to=State(state), actor=handler, passed=passed, materials=materials)
        return Application.objects.select_related("applicant", "unit", "handling_unit").get(pk=application.pk)


def _iso(facts: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in facts.items()}


def _notice_over_by_today(unit_code: str) -> date:
    """The last working day a notice published on has its period over before today."""
    today = timezone.localdate()
    day = today - timedelta(days=1)
    while not ((period := workdays.notice_period(day, province=unit_code)).start == day and period.end < today):
        day -= timedelta(days=1)
    return day


def _walk(application: Application, *, to: State, actor: User, passed: bool, materials: bool = True) -> Application:
    """One transition at a time towards `to`, each by the person whose step it is."""
    while application.state != to:
        here = application.state
        if here == State.SUBMITTED and to == State.AWAITING_MATERIALS:
            missing = application.missing_required_materials()
            application = transition(application, "request_materials", actor, missing_materials=missing)
            if materials:  # supplied after the notice, so the supplement can follow
                provide_materials(application, actor)
        elif here == State.SUBMITTED and to == State.WITHDRAWN:
            application = transition(application, "withdraw", actor, reason="申请人撤回申请。")
        elif here == State.SUBMITTED:
            application = transition(application, "accept", actor)
        elif here == State.INITIAL_REVIEW and passed:
            application = transition(application, "pass_initial_review", actor)
        elif here == State.INITIAL_REVIEW:
            application = transition(application, "fail_initial_review", actor, reason="经初审，不符合认定条件。")
        elif here == State.PENDING_NOTICE:
            NoticeFactory(actor=actor, applications=[application], state=NoticeState.PUBLISHED)
            application = Application.objects.get(pk=application.pk)
        elif here == State.PUBLIC_NOTICE:  # the handling unit closes it, its period being over by now
            notice = Notice.objects.get(lines__application=application, state=NoticeState.PUBLISHED)
            notice_close(notice_id=notice.pk, actor=actor)
            application = Application.objects.get(pk=application.pk)
        elif here == State.TOWNSHIP_REVIEW:
            township = officer(application.unit_id, Role.TOWNSHIP)
            if passed:
                application = transition(application, "township_approve", township)
            else:
                application = transition(application, "township_reject", township, reason="同意初审意见。")
        elif here == State.COUNTY_REVIEW and to == State.APPROVED:
            application = transition(application, "county_approve", officer(application.unit_id, Role.COUNTY))
        elif here == State.COUNTY_REVIEW and to == State.REJECTED:
            county = officer(application.unit_id, Role.COUNTY)
            application = transition(application, "county_reject", county, reason="经审批，不符合认定条件。")
        else:
            raise ValueError(f"{here} does not lead to {to} (passed={passed})")
    return application


def transition(application: Application, name: str, actor: User | None, **payload) -> Application:
    """One step through application_transition, for a test that takes its case step by step."""
    return application_transition(application_id=application.pk, name=name, actor=actor, **payload)


class NoticeDetailsFactory(factory.DictFactory):
    """What the officer types on a notice draft; a Jilin unit's with `jilin=True`."""

    supervision_phone = "0991-1234567"
    contact_person = "张敏"
    agency_name = "燕儿窝街道东风社区服务站"

    class Params:
        jilin = factory.Trait(supervision_phone="0431-1234567", contact_person="李强", agency_name="南关区就业服务站")


class NoticeFactory(factory.Factory):
    """A notice of `applications` (in pending_notice; by default `size` new ones of the actor's
    unit) drafted by `actor` through notice_create. `state` published: notice_publish, drafted and
    published on `published_on` (default today); closed: objections to the `upheld` applications
    recorded and verified during the period, then notice_close the day after it ends."""

    class Meta:
        model = Notice

    class Params:
        size = 1

    actor = factory.LazyFunction(lambda: staff("xj_community"))
    applications = factory.LazyAttribute(
        lambda o: ApplicationFactory.create_batch(o.size, actor=o.actor, state=State.PENDING_NOTICE)
    )
    details = factory.SubFactory(
        NoticeDetailsFactory, jilin=factory.LazyAttribute(lambda d: d.factory_parent.actor.unit_id.startswith("22"))
    )
    published_on = None
    state = factory.LazyAttribute(lambda o: NoticeState.PUBLISHED if o.published_on else NoticeState.DRAFT)
    upheld = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *, actor, applications, details, published_on, state, upheld):
        ids = [getattr(a, "pk", a) for a in applications]
        with on(published_on) if published_on else nullcontext():
            notice = notice_create(actor=actor, unit_code=actor.unit_id, application_ids=ids, **details)
            if state != NoticeState.DRAFT:
                notice = notice_publish(actor=actor, notice_id=notice.pk)
            for application in upheld:
                objection = objection_record(
                    actor=actor,
                    notice_id=notice.pk,
                    application_id=getattr(application, "pk", application),
                    content="申请人有营业执照。",
                    reporter_name="王五",
                    reporter_contact="13712345678",
                )
                objection_resolve(actor=actor, objection_id=objection.pk, upheld=True, finding="经核查属实")
        if state == NoticeState.CLOSED:
            with on(notice.period_end + timedelta(days=1)):
                notice = notice_close(notice_id=notice.pk, actor=actor)
        return notice
