from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, TransitionNotAllowed, transition

from accounts.models import Level, OrgUnit
from config.fields import OrjsonField
from config.records import ChainHead, HashChained, Immutable
from eligibility import policies
from eligibility.engine import Decision, evaluate
from eligibility.facts import facts_from_json
from eligibility.policies.base import MaterialItem, Policy
from eligibility.workdays import Period


class State(models.TextChoices):
    SUBMITTED = "submitted", _("收到申请")
    AWAITING_MATERIALS = "awaiting_materials", _("待补正材料")
    INITIAL_REVIEW = "initial_review", _("初审")
    PENDING_NOTICE = "pending_notice", _("待公示")
    PUBLIC_NOTICE = "public_notice", _("公示中")
    TOWNSHIP_REVIEW = "township_review", _("复核")
    COUNTY_REVIEW = "county_review", _("审批")
    APPROVED = "approved", _("认定通过")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


# The rank of each state in the procedure's order (DESIGN.md §5: 收到申请 … 审批, then the ends): the
# queue sorts "by state" by it, not by the codes' spelling (an expression index serves that order).
STATE_RANK = models.Case(
    *(models.When(state=state, then=models.Value(i)) for i, state in enumerate(State)),
    output_field=models.IntegerField(),
)


FINAL_STATES = frozenset({State.APPROVED, State.REJECTED, State.WITHDRAWN})
OPEN_STATES = frozenset(State) - FINAL_STATES


# What a list's scope, filters and orders read besides the searched column (issue 13).
SEARCH_COVERS = ["unit", "state", "stage_due_on", "received_on", "id"]


class Channel(models.TextChoices):
    OFFLINE = "offline", _("窗口受理")
    ONLINE = "online", _("网上申请")
    PROACTIVE = "proactive", _("主动发现（推送名单）")


class Applicant(models.Model):
    """One person, one row: materials on file and past applications follow the ID number."""

    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网上账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applicant",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")

    def __str__(self):
        return self.name


def next_after_initial(policy: Policy, handling_level: str) -> str:
    """新人社规〔2025〕1号 第七条/第十条: the township re-reviews what a community reviewed;
    where the township reviewed first, and in Jilin (二(三)), the county decides next."""
    by_community = handling_level == Level.COMMUNITY
    return State.TOWNSHIP_REVIEW if policy.procedure.township_review and by_community else State.COUNTY_REVIEW


class Application(ConcurrentTransitionMixin, ChainHead, models.Model):
    """An application for recognition. Transitions only change this row; the service in
    applications.workflow locks it, checks who acts, and writes opinions, logs and deadlines."""

    reference = models.CharField(_("受理编号"), max_length=24, null=True, editable=False)  # unique: Meta
    applicant = models.ForeignKey(
        Applicant, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="applications"
    )
    # The applicant's number and name copied onto the case (issue 13), kept equal by applications.services:
    # a search reads them, the scope and the list's order from one index (app_search_*) instead of
    # joining every applicant with that name or number prefix to their cases.
    applicant_id_number = models.CharField(_("申请人身份证号"), max_length=18, editable=False, default="")
    applicant_name = models.CharField(_("申请人姓名"), max_length=50, editable=False, default="")
    # The contact details as recorded on this application (DESIGN.md §10): the case shows these, never
    # the person's record, which another unit's entry may not read or rewrite (applications.services).
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False, default="")
    applicant_address = models.CharField(_("常住地址"), max_length=200, blank=True, editable=False, default="")
    policy_code = models.CharField(_("适用政策"), max_length=40)
    policy_version = models.CharField(_("政策版本"), max_length=10)
    # Where the person lives (their community/village) and who reviews first (第七条).
    # no index of their own: the indexes of Meta lead with each (issue 13: every index costs every write)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区（村）"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    handling_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("受理初审单位"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    channel = models.CharField(_("申请渠道"), max_length=10, choices=Channel.choices)
    consent_recorded = models.BooleanField(_("已取得本人同意"), default=False)
    state = FSMField(_("状态"), default=State.SUBMITTED, choices=State.choices, protected=True)
    facts = models.JSONField(_("申请时情况"))
    eligibility = OrjsonField(_("受理时资格评估"))
    # ",dibao,veteran,": the categories found at receipt, filterable on every database
    categories = models.CharField(_("就业困难类型"), max_length=200, blank=True, editable=False)
    received_on = models.DateField(_("收到日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    stage_started_on = models.DateField(_("本环节开始日期"), null=True, blank=True)  # deadlines count from it
    stage_due_on = models.DateField(_("本环节办理期限"), null=True, blank=True)
    stage_due_provisional = models.BooleanField(_("期限为暂定（当年放假安排未录入）"), default=False)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束"), null=True, blank=True)
    missing_materials = models.JSONField(_("需补正的材料"), default=list, blank=True)
    # no index on the officer columns (issue 13): no list or lookup reads a case, an opinion, a file or a log
    # entry by who wrote it, and each index cost every write and seconds of a province's load; deleting a user
    # (PROTECT) then scans the tables, which only the rare admin action does
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("认定申请")
        verbose_name_plural = _("认定申请")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            # issue 13: one index per list ordering and scope, so a page reads its rows in order; a
            # state filter reads (state, ordering, id) (the first also serves the overdue sweep)
            models.Index(fields=["state", "stage_due_on", "id"], name="app_state_due"),
            models.Index(fields=["state", "received_on", "id"], name="app_state_received"),
            models.Index(STATE_RANK, "id", name="app_rank"),
            models.Index("unit", STATE_RANK, "id", name="app_unit_rank"),
            # a state in a county or township (unit code prefix): counted without reading the province's
            models.Index(fields=["state", "unit"], name="app_state_unit", opclasses=["varchar_pattern_ops"] * 2),
            # the community's to-do: counted and sorted in the index (unit: the scope's own filter)
            models.Index(
                fields=["handling_unit", "state", "stage_due_on", "id"], include=["unit"], name="app_handling_todo"
            ),
            models.Index(fields=["unit", "stage_due_on", "id"], name="app_unit_due"),
            models.Index(fields=["unit", "received_on", "id"], name="app_unit_received"),
            models.Index(fields=["stage_due_on", "id"], name="app_due"),
            models.Index(fields=["received_on", "id"], name="app_received"),
            # searches (issue 13): an ID number or its prefix, a name from its first character, each with
            # what the scope, the filters and the orders read, so the matches are found and sorted in the
            # index and only the page's rows are read from the table (applications.selectors.queue_page)
            models.Index(
                fields=["applicant_id_number"],
                include=SEARCH_COVERS,
                opclasses=["varchar_pattern_ops"],
                name="app_search_number",
            ),
            # a name also in deadline order under each name: the bearers of the very name searched are
            # read in the queue's order and the read stops at a page, however many share it
            models.Index(
                fields=["applicant_name", "stage_due_on", "id"],
                include=[f for f in SEARCH_COVERS if f not in ("stage_due_on", "id")],
                opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"],
                name="app_search_name",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel="proactive") | models.Q(consent_recorded=True),
                name="proactive_needs_consent",  # 第十三条: 经本人同意后为其申报
            ),
            # a constraint, not unique=True: the reference is only ever looked up whole, and the field
            # would add a second, pattern index of it on PostgreSQL
            models.UniqueConstraint(fields=["reference"], name="application_reference_unique"),
        ]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def category_codes(self) -> list[str]:
        return [code for code in self.categories.split(",") if code]

    @property
    def category_labels(self) -> list[str]:
        """From the stored codes and the policy's catalogue: lists need not load the JSON evaluation."""
        labels = {rule.code: rule.label for rule in self.policy.categories}
        return [labels.get(code, code) for code in self.category_codes]

    @property
    def state_label(self) -> str:
        """get_state_display() without its cost: Django rebuilds the choices and hashes each lazy label
        on every call, ~0.08 ms, a sixth of a list API page's time (issue 13)."""
        return str(State(self.state).label)

    # --- what the rules read (DESIGN.md §3, §5)

    @property
    def policy(self) -> Policy:
        return policies.get(self.policy_code)

    def evaluate(self, as_of: date) -> Decision:
        """The decision on the facts as they stand, under the policy the application was received
        under (DESIGN.md §3: still decidable after that policy ends)."""
        return evaluate(self.policy_code, facts_from_json(self.facts), as_of)

    def store_evaluation(self, decision: Decision) -> None:
        self.eligibility = decision.as_dict()
        self.categories = ",{},".format(",".join(c.code for c in decision.categories)) if decision.categories else ""

    def checklist(self) -> list[MaterialItem]:
        """第八条 / 二(一): the materials asked of this person, by policy and categories."""
        categories = set(self.category_codes)
        return [item for item in self.policy.materials if item.applies_to(categories)]

    def missing_required_materials(self) -> list[str]:
        attached = set(self.materials.values_list("kind", flat=True))
        return [item.code for item in self.checklist() if item.code not in attached]

    def next_after_initial(self) -> str:
        return next_after_initial(self.policy, self.handling_unit.level)

    def next_after_negative_initial(self) -> str:
        """Xinjiang 第九条 forwards a negative initial opinion upward; Jilin 二(二) tells the applicant."""
        return self.next_after_initial() if self.policy.procedure.forward_negative_initial else State.REJECTED

    # --- transitions (DESIGN.md §5): each changes only this row and refuses what its article
    # forbids; applications.workflow locks, checks who acts, and writes opinions, logs, deadlines.

    @transition(field=state, source=State.SUBMITTED, target=State.AWAITING_MATERIALS)
    def request_materials(self, act: "Act") -> None:
        """第九条 一次性告知: every missing item in one notice. A later notice (after a supplement)
        must say why it asks again, so notices cannot drip-feed requests."""
        labels = {m.code: m.label for m in self.policy.materials}
        codes = list(dict.fromkeys(act.missing_materials))
        if not codes:
            raise ValidationError({"missing_materials": _("请一次性列出需要补正的全部材料。")})
        if unknown := [c for c in codes if c not in labels]:
            raise ValidationError({"missing_materials": _("不在本政策材料清单中：%s") % "、".join(unknown)})
        if left_out := [c for c in self.missing_required_materials() if c not in codes]:
            raise ValidationError(
                {
                    "missing_materials": _("一次性告知须列出全部缺少的材料，还缺：%s")
                    % "、".join(labels[c] for c in left_out)
                }
            )
        if self.log.filter(name="request_materials").exists() and not (act.reason or act.opinion):
            raise ValidationError({"reason": _("已一次性告知过补正材料；再次要求补正须说明原因。")})
        self.missing_materials = codes

    @transition(field=state, source=State.AWAITING_MATERIALS, target=State.SUBMITTED)
    def supplement(self, act: "Act") -> None:
        """Only once every item the notice listed has been provided since it was issued."""
        if outstanding := self.outstanding_requested_materials():
            labels = {m.code: m.label for m in self.policy.materials}
            raise ValidationError(
                {"materials": _("一次性告知的材料尚未补齐：%s") % "、".join(labels.get(c, c) for c in outstanding)}
            )
        self.missing_materials = []

    def outstanding_requested_materials(self) -> list[str]:
        requested_at = self.log.filter(name="request_materials").order_by("-id").values_list("at", flat=True).first()
        provided = self.materials.all()
        if requested_at is not None:
            provided = provided.filter(uploaded_at__gte=requested_at)
        kinds = set(provided.values_list("kind", flat=True))
        return [code for code in self.missing_materials if code not in kinds]

    @transition(field=state, source=State.SUBMITTED, target=State.INITIAL_REVIEW)
    def accept(self, act: "Act") -> None:
        """第八条 / 二(一): accepted only with every listed material in hand; starts the clock."""
        if missing := self.missing_required_materials():
            labels = {m.code: m.label for m in self.policy.materials}
            raise ValidationError(
                {"materials": _("材料不齐，不能受理。还缺：%s") % "、".join(labels.get(c, c) for c in missing)}
            )
        self.accepted_on = act.today

    @transition(field=state, source=State.INITIAL_REVIEW, target=State.PENDING_NOTICE)
    def pass_initial_review(self, act: "Act") -> None:
        """第九条 / 二(二): passed only on the rules; the notice and the approval form then always
        show a 就业困难类型. Otherwise the facts are corrected, or the review fails with a reason."""
        decision = self.evaluate(act.today)
        if not decision.eligible:
            raise ValidationError({"eligibility": ineligibility_reasons(decision)})
        self.store_evaluation(decision)

    @transition(
        field=state,
        source=State.INITIAL_REVIEW,
        target=RETURN_VALUE(State.TOWNSHIP_REVIEW, State.COUNTY_REVIEW, State.REJECTED),
    )
    def fail_initial_review(self, act: "Act") -> str:
        return self.next_after_negative_initial()

    @transition(field=state, source=State.PENDING_NOTICE, target=State.PUBLIC_NOTICE)
    def publish(self, act: "Act") -> None:
        if act.notice_period is None:
            raise ValidationError({"notice": _("发布公示需要公示期。")})
        self.notice_start, self.notice_end = act.notice_period.start, act.notice_period.end

    @transition(
        field=state,
        source=State.PUBLIC_NOTICE,
        target=RETURN_VALUE(State.TOWNSHIP_REVIEW, State.COUNTY_REVIEW, State.REJECTED),
    )
    def close_notice(self, act: "Act") -> str:
        """After the period; an upheld objection turns the initial opinion negative (第九条, 二(二))."""
        if self.notice_end is None or act.today <= self.notice_end:
            raise TransitionNotAllowed(_("公示期尚未结束，不能结束公示。"))
        return self.next_after_negative_initial() if act.objection_upheld else self.next_after_initial()

    @transition(field=state, source=State.TOWNSHIP_REVIEW, target=State.COUNTY_REVIEW)
    def township_approve(self, act: "Act") -> None:
        pass

    @transition(field=state, source=State.TOWNSHIP_REVIEW, target=State.COUNTY_REVIEW)
    def township_reject(self, act: "Act") -> None:
        """第十条: a negative re-review still goes to the county for 核定."""

    @transition(field=state, source=State.COUNTY_REVIEW, target=State.APPROVED)
    def county_approve(self, act: "Act") -> None:
        pass

    @transition(field=state, source=State.COUNTY_REVIEW, target=State.REJECTED)
    def county_reject(self, act: "Act") -> None:
        pass

    @transition(field=state, source=list(OPEN_STATES), target=State.WITHDRAWN)
    def withdraw(self, act: "Act") -> None:
        pass


@dataclass(frozen=True)
class Act:
    """What a transition is given: the day it counts as done on, and what the officer wrote."""

    today: date
    reason: str = ""
    opinion: str = ""
    missing_materials: tuple[str, ...] = ()
    objection_upheld: bool = False
    notice_period: Period | None = None


def ineligibility_reasons(decision: Decision) -> list[str]:
    """Why an evaluation is not eligible, each with its article, for a 400 the officer can act on."""
    reasons = [f"不符合基本条件：{r.label}（{r.article}）" for r in decision.basic_requirements if not r.met]
    reasons += [f"属于不予认定的情形：{e.label}（{e.article}）" for e in decision.exclusions]
    if not decision.categories:
        reasons.append("不属于任何一类就业困难人员。")
    return reasons


class ApplicationDraft(models.Model):
    """An online application being filled in (DESIGN.md §10): what each step saved, kept on the server
    so it survives a logout or a lost phone connection, until it is submitted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="draft"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区（村）"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    step = models.PositiveSmallIntegerField(_("已保存到第几步"), default=0)  # the furthest step saved
    # the steps' answers, as the forms cleaned them (JSON-ready)
    data = models.JSONField(_("已填写的内容"), default=dict)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网上申请草稿")
        verbose_name_plural = _("网上申请草稿")

    def __str__(self):
        return f"{self.user} 第{self.step}步"


def private_upload_path(material: "Material", filename: str) -> str:
    return f"materials/{material.applicant_id}/{material.sha256[:2]}/{material.sha256}"


class Material(models.Model):
    """An uploaded document. Stored outside any served folder; streamed only through the access gate."""

    applicant = models.ForeignKey(
        Applicant, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="materials"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("认定申请"), on_delete=models.PROTECT, related_name="materials"
    )
    kind = models.CharField(_("材料"), max_length=40)
    file = models.FileField(_("文件"), upload_to=private_upload_path)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    reused_from = models.ForeignKey(
        "self", verbose_name=_("沿用自"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(  # not indexed: see Application.created_by
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Commitment(models.Model):
    """承诺制: a statement the applicant accepted, and when.

    新人社规〔2025〕1号 第十二条; 吉人社发〔2022〕10号 一(三)."""

    application = models.ForeignKey(
        Application, verbose_name=_("认定申请"), on_delete=models.PROTECT, related_name="commitments"
    )
    code = models.CharField(_("编码"), max_length=40)
    text = models.CharField(_("承诺内容"), max_length=200)
    article = models.CharField(_("依据条款"), max_length=20)
    accepted_at = models.DateTimeField(_("承诺时间"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="one_commitment_per_statement")]

    def __str__(self):
        return self.text


class Stage(models.TextChoices):
    INITIAL = "initial", _("初审意见")
    TOWNSHIP = "township", _("复核意见")
    COUNTY = "county", _("审批意见")


class Decision(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")


class ReviewOpinion(Immutable):
    """One level's opinion on the approval form (审批表), with the evaluation it rested on."""

    application = models.ForeignKey(
        Application, verbose_name=_("认定申请"), on_delete=models.PROTECT, related_name="opinions"
    )
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    decision = models.CharField(_("意见"), max_length=4, choices=Decision.choices)
    reason = models.TextField(_("意见或理由"), blank=True)
    officer = models.ForeignKey(  # not indexed: see Application.created_by
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        db_index=False,
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+", null=True, db_index=False
    )
    eligibility = OrjsonField(_("评估依据"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["id"]
        # for the unit's PROTECT check only: a plain index, not the field's pair (its code also LIKE-indexed)
        indexes = [models.Index(fields=["unit"], name="opinion_unit")]
        verbose_name = _("审批意见")
        verbose_name_plural = _("审批意见")

    def __str__(self):
        return f"{self.get_stage_display()}：{self.get_decision_display()}"


class TransitionLog(HashChained):
    """Who moved an application from which state to which, and why. Each entry hashes its
    content together with the previous entry of the same application (verify_logs checks)."""

    application = models.ForeignKey(
        Application, verbose_name=_("认定申请"), on_delete=models.PROTECT, related_name="log"
    )
    name = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=20)
    to_state = models.CharField(_("新状态"), max_length=20)
    actor = models.ForeignKey(  # not indexed: see Application.created_by
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        db_index=False,
    )
    role = models.CharField(_("角色"), max_length=12)
    unit_code = models.CharField(_("单位代码"), max_length=12, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    reason = models.TextField(_("理由"), blank=True)
    payload = models.JSONField(_("附加信息"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["id"]  # the chain's own order
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        from applications.workflow import LOG_LABELS

        return LOG_LABELS.get(self.name, self.name)

    def content(self) -> dict:
        return {
            "application": self.application_id,
            "name": self.name,
            "from": self.from_state,
            "to": self.to_state,
            "actor": self.actor_id,
            "role": self.role,
            "unit": self.unit_code,
            "opinion": self.opinion,
            "reason": self.reason,
            "payload": self.payload,
            "at": self.at.isoformat(),
        }


class OverdueReminder(models.Model):
    """A stage deadline whose overdue reminder went out (applications.sweeps.flag_overdue_stages): one row
    per case and deadline. Issue 13: the mark was a column of the applications table, so marking a 35k
    backlog rewrote 35k rows of ~1.9 kB with 17 indexes each (an update in place only while the page had
    room: a second run in one transaction, as the bench does, took 23 s); here it is a narrow insert."""

    application = models.ForeignKey(
        Application, verbose_name=_("认定申请"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    due_on = models.DateField(_("已发超期提醒的期限"))

    class Meta:
        verbose_name = _("超期提醒")
        verbose_name_plural = _("超期提醒")
        constraints = [models.UniqueConstraint(fields=["application", "due_on"], name="one_reminder_per_deadline")]

    def __str__(self):
        return f"{self.application_id} {self.due_on}"
