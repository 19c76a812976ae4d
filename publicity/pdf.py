"""The notice as a PDF after 附件3 of 新人社规〔2025〕1号 (初审公示（模板）); its heading and the list's
heading are the policy's own (Policy.notice_heading, Policy.notice_list_heading).

Rendered once per content and cached on the notice; a long notice is rendered by a Celery task
while the page shows its progress."""

import hashlib
import json

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from weasyprint import HTML

from eligibility import policies
from publicity.models import Notice

BACKGROUND_FROM_LINES = 200  # beyond this, render in a Celery task


def content_key(notice: Notice) -> str:
    lines = list(notice.lines.values_list("seq", "name", "masked_id_number", "categories", "place"))
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


def heading(notice: Notice) -> str:
    return policies.get(notice.policy_code).notice_heading


def render(notice: Notice, progress=lambda percent: None) -> bytes:
    context = {
        "notice": notice,
        "policy": policies.get(notice.policy_code),
        "heading": heading(notice),
        "lines": notice.lines.all(),
    }
    html = render_to_string("pdf/notice.html", context)
    progress(20)
    document = HTML(string=html).render()
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
        Notice.objects.filter(pk=notice_id).update(pdf_status="failed")
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


def notice_pdf_response(notice: Notice) -> HttpResponse:
    """The PDF, from the cache or rendered now; for a long notice not yet rendered, 202 and progress."""
    if not cached(notice):
        if notice.lines.count() < BACKGROUND_FROM_LINES:
            render_and_cache(notice.pk)
        else:
            from publicity.tasks import render_notice_pdf

            if notice.pdf_status != "rendering":
                Notice.objects.filter(pk=notice.pk).update(pdf_status="rendering", pdf_progress=0)
                transaction.on_commit(lambda: render_notice_pdf.delay(notice.pk))
            notice.refresh_from_db()
            return JsonResponse(
                {
                    "status": notice.pdf_status,
                    "progress": notice.pdf_progress,
                    "detail": "公示文件正在生成，请稍候刷新。",
                },
                status=202,
            )
        notice.refresh_from_db()
    with notice.pdf_file.open("rb") as f:
        data = f.read()
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response
