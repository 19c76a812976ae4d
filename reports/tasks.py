from celery import shared_task

from reports.services import export_build


@shared_task
def build_export(job_id: int) -> dict:
    """A large Excel export, off the request (DESIGN.md §8): fetched by ID, built by the service."""
    job = export_build(job_id=job_id)
    return {"id": job.pk, "state": job.state, "rows": job.written}
