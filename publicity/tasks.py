from celery import shared_task

from publicity.pdf import render_and_cache


@shared_task
def render_notice_pdf(notice_id: int) -> None:
    """Fetch by ID and render (STYLE.md): a long notice's PDF, off the request."""
    render_and_cache(notice_id)
