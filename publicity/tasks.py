from celery import shared_task
from django.utils import timezone

from publicity.pdf import pdf_retry, render_and_cache


@shared_task(bind=True, max_retries=2)
def render_notice_pdf(self, notice_id: int) -> None:
    """Fetch by ID and render (STYLE.md): a long notice's PDF, off the request. A failure is recorded
    on the notice (failed, with the reason) and tried again a minute later, then by the sweep."""
    try:
        render_and_cache(notice_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task
def retry_notice_pdfs() -> dict:
    """Beat, every few minutes: renders that failed or were lost with their worker are queued again."""
    return pdf_retry(now=timezone.now())
