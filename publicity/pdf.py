"""The notice as a PDF after 附件3 of 新人社规〔2025〕1号 (初审公示（模板）); its heading and the list's
heading are the policy's own (Policy.notice_heading, Policy.notice_list_heading).

Jilin prescribes no template: its notice says what 吉人社发〔2022〕10号 二(二) says (公示 in the area for 3
working days by the 基层公共就业服务平台, then reported to the county's 公共就业服务机构, 二(三)). A draft
carries a diagonal 草稿 on every page.

Rendered once per content and cached on the notice; a long notice is rendered by a Celery task
while the page shows its progress. A render is claimed by compare-and-swap (pdf_request), so it is
queued once however many people click; a broker that is down or a render that fails leaves the notice
"failed" with a Chinese message, which the next click retries; one lost with its worker is "rendering"
past STALE_AFTER. The sweep (pdf_retry, every few minutes) queues both again: never stuck."""

import hashlib
import json
import logging
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta
from functools import cache, partial

import cssselect2
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA
from weasyprint.urls import URLFetcher

from config.pdf import pdf_response, without_cyclic_gc
from eligibility import policies, workdays
from publicity.access import public_lines
from publicity.models import Notice, NoticeState

logger = logging.getLogger(__name__)

BACKGROUND_FROM_LINES = 200  # beyond this, render in a Celery task
STALE_AFTER = timedelta(minutes=10)  # a background render not done by then is taken to be lost
SWEEP_ATTEMPTS = 5  # the sweep gives up after this many; a person's click still retries


def content_key(notice: Notice) -> str:
    lines = list(public_lines(notice).values_list("seq", "name", "masked_id_number", "categories", "place"))
    head = [
        notice.title,
        notice.supervision_phone,
        notice.contact_person,
        notice.agency_name,
        notice.state,
        str(notice.published_on),
        str(notice.period_start),
        str(notice.period_end),
    ]
    return hashlib.sha256(json.dumps([head, lines], ensure_ascii=False).encode()).hexdigest()


# What each text says around the list, in its own words, and the articles it rests on.
TEXTS = {
    "xinjiang-2025": {  # 附件3 初审公示（模板）, verbatim; 第七条 初审公示, 第九条 公示3个工作日
        "intro": "根据有关规定，经初步审查，本辖区内下列人员符合就业困难人员认定条件，现公示",
        "objection": "如有不同意见，请于公示期间拨打监督电话反馈意见，尽可能提供事实依据，并留下真实姓名和联系方式。",
        "articles": "第七条、第九条及附件3",
    },
    "jilin-2022": {  # 二(二) 对符合条件的在辖区内公示3个工作日; 二(三) 县（市、区）公共就业服务机构复核认定
        "intro": "根据吉林省人力资源和社会保障厅《关于做好就业困难人员认定帮扶工作的通知》（吉人社发〔2022〕10号）"
        "二(二)的规定，经基层公共就业服务平台初步审查，下列人员符合就业困难人员认定条件，现在辖区内公示",
        "objection": "如有异议，请于公示期间拨打监督电话反映，尽可能提供事实依据，并留下真实姓名和联系方式。"
        "公示无异议的，签署初步意见后汇总上报县（市、区）公共就业服务机构复核认定。",
        "articles": "二(二)、二(三)",
    },
}


def heading(notice: Notice) -> str:
    return policies.get(notice.policy_code).notice_heading


def notice_html(notice: Notice, lines) -> str:
    return render_to_string(
        "pdf/notice.html",
        {
            "notice": notice,
            "policy": policies.get(notice.policy_code),
            "heading": heading(notice),
            "text": TEXTS[notice.policy_code],
            "days": workdays.NOTICE_WORKING_DAYS,
            "draft": notice.state == NoticeState.DRAFT,
            "lines": lines,
        },
    )


def filename(notice: Notice) -> str:
    """附件3's heading, the posting agency and the date (a draft says so); nobody's name or number."""
    day = (
        f"{notice.published_on.year}年{notice.published_on.month}月{notice.published_on.day}日"
        if notice.published_on
        else "草稿"
    )
    return f"{heading(notice)}-{notice.agency_name}-{day}.pdf"


class _NoticeHTML(HTML):
    """WeasyPrint's HTML, parsed by the C XML parser and without its user-agent rules for ::marker,
    ::footnote-* and ::note-* (issue 13, weasyprint==70.0 pinned; same pages pixel for pixel).

    templates/pdf/notice.html is well-formed XML and every value in it is escaped, so expat builds
    the same tree as WeasyPrint's pure-Python HTML5 parser, which took a twentieth of a 1,000-line
    notice's render; text XML refuses (a control character in a name) goes through that parser.
    The ::marker, ::footnote-* and ::note-* rules select every element: a 1,000-line notice (6,000
    elements, no list, footnote or note) computed five pseudo-element styles for each."""

    def __init__(self, string: str):
        try:
            root = ElementTree.fromstring(string)  # noqa: S314 our template; every value in it is escaped
        except ElementTree.ParseError:
            super().__init__(string=string)
            return
        # what HTML.__init__ sets after parsing (no <base>, so no base URL)
        self.base_url = None
        self.url_fetcher = URLFetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms=False):
        return [_notice_ua()]


@cache
def _notice_ua() -> CSS:
    kept = "\n".join(line for line in UA.splitlines() if not line.startswith("::"))
    # its @counter-style rules are already in the document's (HTML._ua_counter_style): parsed apart
    return CSS(string=kept, counter_style=CounterStyle())


def render(notice: Notice, progress=lambda percent: None) -> bytes:
    with without_cyclic_gc():
        html = notice_html(notice, public_lines(notice))
        progress(20)
        document = _NoticeHTML(string=html).render()
        progress(80)
        return document.write_pdf()


def render_and_cache(notice_id: int) -> None:
    """Render and store the PDF; called inline for short notices and by the Celery task otherwise."""
    notice = Notice.objects.get(pk=notice_id)
    key = content_key(notice)

    def progress(percent):
        Notice.objects.filter(pk=notice_id).update(pdf_progress=percent)

    try:
        data = render(notice, progress)
    except Exception:
        message = _("公示文件生成失败，系统将自动重试；也可点击“重新生成”。")
        Notice.objects.filter(pk=notice_id).update(pdf_status="failed", pdf_error=message)
        raise
    notice.pdf_file.save(f"notice-{notice.pk}-{key[:12]}.pdf", ContentFile(data), save=False)
    Notice.objects.filter(pk=notice_id).update(
        pdf_file=notice.pdf_file.name, pdf_key=key, pdf_status="ready", pdf_progress=100
    )


def cached(notice: Notice) -> bool:
    return (
        notice.pdf_status == "ready"
        and notice.pdf_key == content_key(notice)
        and notice.pdf_file.storage.exists(notice.pdf_file.name)
    )


def _claimable(now: datetime) -> Q:
    lost = Q(pdf_status="rendering") & (Q(pdf_requested_at__lt=now - STALE_AFTER) | Q(pdf_requested_at__isnull=True))
    return ~Q(pdf_status="rendering") | lost


def pdf_request(notice_id: int, *, now: datetime) -> bool:
    """Queue a background render unless one is under way (one UPDATE decides); True when this call queued it."""
    claimed = Notice.objects.filter(_claimable(now), pk=notice_id).update(
        pdf_status="rendering", pdf_progress=0, pdf_requested_at=now, pdf_attempts=F("pdf_attempts") + 1, pdf_error=""
    )
    if claimed:
        transaction.on_commit(partial(_enqueue, notice_id))
    return bool(claimed)


def _enqueue(notice_id: int) -> None:
    from publicity.tasks import render_notice_pdf

    try:  # a short retry: a person's request does not wait long for a broker that is down
        render_notice_pdf.apply_async(
            (notice_id,), retry_policy={"max_retries": 2, "interval_start": 0, "interval_max": 1}
        )
    except Exception as exc:
        logger.warning("notice %s: could not queue its PDF (%s); the sweep or a click retries", notice_id, exc)
        message = _("后台任务暂时不可用，公示文件未能开始生成。系统将自动重试；也可稍后点击“重新生成”。")
        Notice.objects.filter(pk=notice_id, pdf_status="rendering").update(pdf_status="failed", pdf_error=message)


def pdf_retry(*, now: datetime) -> dict:
    """The sweep: queue again each failed render (up to SWEEP_ATTEMPTS) and each lost one."""
    due = Notice.objects.filter(
        _claimable(now), pdf_status__in=["failed", "rendering"], pdf_attempts__lt=SWEEP_ATTEMPTS
    )
    requeued = [pk for pk in due.values_list("pk", flat=True) if pdf_request(pk, now=now)]
    gave_up = Notice.objects.filter(pdf_status="failed", pdf_attempts__gte=SWEEP_ATTEMPTS).count()
    return {"requeued": requeued, "gave_up": gave_up}


def notice_pdf_response(notice: Notice) -> HttpResponse:
    """The PDF, from the cache or rendered now; for a long notice not yet rendered, 202 and progress,
    or 503 with the reason when it cannot be rendered now (asking again retries)."""
    if not cached(notice):
        if public_lines(notice).count() < BACKGROUND_FROM_LINES:
            render_and_cache(notice.pk)
        else:
            pdf_request(notice.pk, now=timezone.now())
            notice.refresh_from_db()
            if notice.pdf_status == "failed":
                body = {"status": "failed", "progress": notice.pdf_progress, "detail": notice.pdf_error}
                return JsonResponse(body, status=503, headers={"Retry-After": "60"})
            detail = _("公示文件正在生成，请稍候刷新。")
            return JsonResponse(
                {"status": notice.pdf_status, "progress": notice.pdf_progress, "detail": detail}, status=202
            )
        notice.refresh_from_db()
    with notice.pdf_file.open("rb") as f:
        data = f.read()
    return pdf_response(data, filename=filename(notice), fallback=f"notice-{notice.pk}.pdf")
