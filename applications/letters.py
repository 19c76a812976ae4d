"""Decision letters (DESIGN.md §10; API.md "Applications"): 认定结果告知书 for an approval, 不予认定告知书 for a
rejection, with the articles each decision rests on, the reasons, and where to ask. Rendered by
WeasyPrint like the approval form.

Who tells the person: the unit that received and reviewed first (新人社规〔2025〕1号 第十一条: 由受理初审的社区（村）
或街道（乡镇）告知申请人; 吉人社发〔2022〕10号 二(二), 二(三): 由初审的基层公共就业服务平台告知申请人), so the letter
is issued over its name and seal; the recognising unit is named in the text.

The document, issuer, title, categories, requirements, exclusions, commitments and exit reasons with their
articles come from the Policy; `TEXTS` holds, per policy, the few further sentences its text says about
what follows a decision, each with the article it rests on."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from accounts import audit
from accounts.idnumber import mask, mask_name
from applications.access import application_for_user
from applications.models import Application, Decision, ReviewOpinion, Stage, State
from config.pdf import pdf_response, render
from eligibility.policies.base import Policy

APPROVAL, REJECTION = "approval", "rejection"
TITLES = {APPROVAL: "就业困难人员认定结果告知书", REJECTION: "就业困难人员不予认定告知书"}
LETTER_STATES = frozenset({State.APPROVED, State.REJECTED})
# The right to administrative reconsideration and litigation against an administrative decision, in the
# periods the two laws set (行政复议: 六十日 from knowing of the act; 行政诉讼: 六个月). Neither regional text
# gives another route against a refusal, and no article number is cited here: only the laws by name.
REMEDY = (
    "如对本不予认定决定不服，可以自收到本告知书之日起六十日内依法申请行政复议，或者自收到本告知书之日起"
    "六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政复议法》《中华人民共和国行政诉讼法》）。"
)


@dataclass(frozen=True)
class Sentence:
    text: str
    article: str = ""


@dataclass(frozen=True)
class LetterText:
    """What a policy's text says around a decision, in its own words, with its articles."""

    deciding_body: str  # after the county's name: who decides at county level
    deciding_verb: str
    stage_articles: dict[str, str]  # Stage → the article of that step
    apply_article: str  # where the text says how to apply (a new application after a refusal)
    services: Sentence  # what a recognised person receives
    approval_extra: tuple[Sentence, ...] = ()
    rejection_extra: tuple[Sentence, ...] = ()
    exit_extra: str = ""


TEXTS: dict[str, LetterText] = {
    "xinjiang-2025": LetterText(
        deciding_body="人力资源社会保障部门",  # 第十一条: 县（市、区）人力资源社会保障部门
        deciding_verb="审批认定",
        stage_articles={Stage.INITIAL: "第九条", Stage.TOWNSHIP: "第十条", Stage.COUNTY: "第十一条"},
        apply_article="第八条",
        services=Sentence(
            "人力资源社会保障部门将把您作为重点服务群体，制定“一对一”援助方案，明确援助步骤、内容、途径和负责人员，"
            "开展精准分类帮扶",
            "第十四条",
        ),
        approval_extra=(
            Sentence(
                "对取消就业困难人员认定告知信息有异议的，可以在收到告知信息后30日内向做出核定的人力资源和社会保障部门"
                "提出重核申请",
                "第十九条",
            ),
        ),
        rejection_extra=(Sentence("通过线上申请的，可以在申请平台查看事项受理进度和结果", "第十一条"),),
        exit_extra="符合退出条件的，请主动申请退出",  # 第十六条第二款
    ),
    "jilin-2022": LetterText(
        deciding_body="公共就业服务机构",  # 二(三): 县（市、区）公共就业服务机构
        deciding_verb="复核认定",
        stage_articles={Stage.INITIAL: "二(二)", Stage.COUNTY: "二(三)"},
        apply_article="二(一)",
        services=Sentence(
            "人力资源社会保障部门将根据您的需求和特点制定个性化援助方案，实施“一人一策”重点帮扶", "四(二)"
        ),
        approval_extra=(
            Sentence("认定机构按规定在您的《就业创业证》中录入就业困难人员类别、认定机构和经办人", "二(三)"),
        ),
        rejection_extra=(
            Sentence(
                "在就业困难人员认定过程中如遇特殊情况，可以向县（市、区）人力资源社会保障部门反映，由其结合实际情况"
                "研究解决",
                "一(三)",
            ),
        ),
    ),
}
STAGE_VERBS = {Stage.INITIAL: "初审", Stage.TOWNSHIP: "复核"}


class LetterNotReady(TransitionNotAllowed):
    """409: a letter is issued once the case is decided (approved or rejected)."""


@dataclass(frozen=True)
class Letter:
    kind: str
    title: str
    policy: Policy
    reference: str
    addressee: str
    id_number: str  # masked: the letter may be shown or forwarded
    opening: str
    decided_on: date
    issuing_unit: str  # the unit that tells the person (and seals)
    deciding_unit: str
    categories: list[Sentence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    findings: list[Sentence] = field(default_factory=list)
    notes: list[Sentence] = field(default_factory=list)
    contact: str = ""

    @property
    def filename(self) -> str:
        return f"{self.title}-{mask_name(self.addressee)}-{self.reference}.pdf"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def article_head(article: str) -> str:
    """第十六条(一) → 第十六条, 三(六) → 三: the article an item belongs to."""
    return re.split(r"[(（]", article, maxsplit=1)[0]


def letter_kind(application: Application) -> str:
    if application.state not in LETTER_STATES:
        raise LetterNotReady(
            f"申请当前状态为“{application.get_state_display()}”，尚未作出认定决定；认定通过或未通过后才能出具告知书。"
        )
    return APPROVAL if application.state == State.APPROVED else REJECTION


def _procedure(application: Application, opinions: list[ReviewOpinion], text: LetterText) -> str:
    """The steps the case went through, by unit, ending with the step that decided."""
    latest: dict[str, ReviewOpinion] = {}
    for opinion in opinions:
        latest[opinion.stage] = opinion
    parts = []
    if initial := latest.get(Stage.INITIAL):
        noticed = "、公示" if application.notice_start else ""
        parts.append(f"{initial.unit.name if initial.unit else application.handling_unit.name}初审{noticed}")
    if township := latest.get(Stage.TOWNSHIP):
        parts.append(f"{township.unit.name}复核（{text.stage_articles.get(Stage.TOWNSHIP, '')}）")
    if county := latest.get(Stage.COUNTY):
        parts.append(
            f"{county.unit.name}{text.deciding_body}{text.deciding_verb}（{text.stage_articles[Stage.COUNTY]}）"
        )
    elif initial and parts:  # decided at the initial review (吉人社发〔2022〕10号 二(二))
        parts[0] += f"（{text.stage_articles[Stage.INITIAL]}）"
    return "，".join(parts)


def _deciding(opinions: list[ReviewOpinion], kind: str) -> ReviewOpinion | None:
    wanted = Decision.PASS if kind == APPROVAL else Decision.FAIL
    return next((o for o in reversed(opinions) if o.decision == wanted), None)


def _findings(policy: Policy, evaluation: dict, facts: dict) -> list[Sentence]:
    """Why the rules say no, each with its article (DESIGN.md §3): unmet requirements, exclusions, no category."""
    if evaluation.get("eligible"):
        return []
    found = [
        Sentence(f"不符合基本条件：{r['label']}", r["article"])
        for r in evaluation.get("basic_requirements", [])
        if not r["met"]
    ]
    for x in evaluation.get("exclusions", []):
        note = f"（{facts['other_note'].strip()}）" if x["code"] == "other" and facts.get("other_note") else ""
        found.append(Sentence(f"属于不予认定的情形：{x['label']}{note}", x["article"]))
    if not evaluation.get("categories"):
        found.append(Sentence("不属于所列任何一类就业困难人员", _conditions_article(policy)))
    return found


def _conditions_article(policy: Policy) -> str:
    """Where the text lists the conditions and the categories together (第五条; 一(一))."""
    return policy.requirements[0].article if policy.requirements else ""


def _contact(application: Application, opinions: list[ReviewOpinion]) -> str:
    """The handling unit, and the phone of its officer on the case where one is on record."""
    officer = next((o.officer for o in opinions if o.unit_id == application.handling_unit_id and o.officer_id), None)
    phone = f"（联系电话：{officer.phone}）" if officer is not None and officer.phone else ""
    return f"如有疑问，请向{application.handling_unit.name}咨询{phone}。"


def decision_letter(application: Application) -> Letter:
    kind = letter_kind(application)
    policy = application.policy
    text = TEXTS[policy.code]
    opinions = list(application.opinions.select_related("unit", "officer").order_by("id"))
    deciding = _deciding(opinions, kind)
    decided_on = application.decided_on or (timezone.localdate(deciding.at) if deciding else timezone.localdate())
    deciding_unit = deciding.unit.name if deciding and deciding.unit else application.handling_unit.name
    if deciding is not None and deciding.stage == Stage.COUNTY:
        deciding_unit += text.deciding_body
    basis = f"依据{policy.issuer}《{policy.title}》（{policy.document}）"
    received = (
        f"您于{chinese_date(application.received_on)}提出的就业困难人员认定申请（受理编号：{application.reference}），"
        f"经{_procedure(application, opinions, text)}，"
    )
    letter = {
        "kind": kind,
        "title": TITLES[kind],
        "policy": policy,
        "reference": application.reference,
        "addressee": application.applicant_name,
        "id_number": mask(application.applicant.id_number),
        "decided_on": decided_on,
        "issuing_unit": application.handling_unit.name,
        "deciding_unit": deciding_unit,
        "contact": _contact(application, opinions),
    }
    if kind == APPROVAL:
        return _approval(application, letter, text, f"{received}{basis}")
    evaluation = deciding.eligibility if deciding is not None else application.eligibility
    reasons = [
        f"{o.get_stage_display()}（{o.unit.name if o.unit else ''}，{chinese_date(timezone.localdate(o.at))}）："
        f"{o.reason or '不符合认定条件。'}"
        for o in opinions
        if o.decision == Decision.FAIL
    ]
    reapply = Sentence(
        "情况发生变化、符合认定条件的，可以再次提出认定申请", f"{_conditions_article(policy)}、{text.apply_article}"
    )
    return Letter(
        **letter,
        opening=f"{received}不予认定您为就业困难人员。",
        reasons=reasons,
        findings=_findings(policy, evaluation, application.facts),
        notes=[*text.rejection_extra, reapply],
    )


def _approval(application: Application, letter: dict, text: LetterText, opening: str) -> Letter:
    """The categories with their articles, the recognising unit and date, what follows (第十四条 / 四(二);
    exit 第十六条 / 三)."""
    policy = application.policy
    recognition = getattr(application, "recognition", None)
    categories = application.eligibility.get("categories", [])
    if recognition is not None:
        categories = [c for c in categories if c["code"] in recognition.categories] or categories
        letter = letter | {
            "decided_on": recognition.recognized_on,
            "deciding_unit": f"{recognition.approving_unit.name}{text.deciding_body}",
        }
    articles = "、".join(dict.fromkeys(c["article"] for c in categories))
    exit_head = article_head(policy.exit_reasons[0].article) if policy.exit_reasons else ""
    exit_text = f"认定后出现{policy.document}规定的退出情形之一的，将取消您的就业困难人员身份，终止就业援助"
    notes = [text.services, Sentence(exit_text + (f"；{text.exit_extra}" if text.exit_extra else ""), exit_head)]
    if fraud := next((r for r in policy.exit_reasons if r.code == "fraud"), None):
        notes.append(Sentence(f"{fraud.label}的，将取消其就业困难人员身份", fraud.article))
    notes.extend(text.approval_extra)
    return Letter(
        **letter,
        opening=f"{opening}{articles}的规定，认定您为就业困难人员。",
        categories=[Sentence(c["label"], c["article"]) for c in categories],
        notes=notes,
    )


def decision_letter_pdf(letter: Letter) -> bytes:
    html = render_to_string(
        "pdf/decision_letter.html", {"letter": letter, "remedy": REMEDY, "printed_at": timezone.localtime()}
    )
    return render(html)


def decision_letter_response(request: HttpRequest, application: Application) -> HttpResponse:
    """The letter for a decided case; LetterNotReady (409) before. The caller has passed the access gate;
    the download is audited."""
    letter = decision_letter(application)
    response = pdf_response(
        decision_letter_pdf(letter), filename=letter.filename, fallback=f"decision-letter-{application.reference}.pdf"
    )
    return audit.downloaded(
        request, response, object_type="application", object_id=application.pk, document="decision_letter"
    )


@login_required
def decision_letter_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The browser path: the same gate (out of scope is 404); before a decision, back to the case with
    the reason (the API answers 409)."""
    application = application_for_user(request.user, pk)
    try:
        return decision_letter_response(request, application)
    except LetterNotReady as exc:
        messages.error(request, str(exc))
        return redirect("applications:detail", pk=application.pk)
