from celery import shared_task

from outreach.services import push_list_run


@shared_task
def run_push_list(push_list_id: int) -> None:
    """Fetch by ID and push (STYLE.md): a list too large for the request."""
    push_list_run(push_list_id=push_list_id)
