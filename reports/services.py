"""Writes of the reports app: an export answered at once, or a job that Celery builds (reports.tasks)."""

import tempfile
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditAction, User
from applications.tally import applications_rebuild
from config.replica import replica_reads
from exits.tally import recognitions_rebuild
from reports.exports import EXPORTS, Export, may_export_full_ids, write_xlsx
from reports.models import ExportJob, ExportState


@dataclass(frozen=True)
class Built:
    """An export built in the request: the open file, its name and row count."""

    file: object
    filename: str
    rows: int


def export_start(*, user: User, kind: str, params: dict, full_ids: bool = False, request=None) -> Built | ExportJob:
    """The export of the list `kind` with its filters. Up to settings.EXPORT_ASYNC_ROWS rows it is
    built now; above, a job is queued for Celery. A rejected filter raises the list's ValidationError;
    full ID numbers for a user below county level raise PermissionDenied. Every export is audited
    (DESIGN.md §9), with its filters, row count and whether it holds full ID numbers."""
    export = EXPORTS[kind]
    if full_ids and not may_export_full_ids(user):
        raise PermissionDenied("只有县（市、区）级及以上经办人员可以导出完整身份证号。")
    queryset = export.queryset(user, params)
    with replica_reads():  # the rows of an export are read on the replica, when there is one
        total = queryset.count()
    filename = export.filename(timezone.localdate())
    if total > settings.EXPORT_ASYNC_ROWS:
        job = ExportJob.objects.create(
            owner=user, kind=kind, params=params, full_ids=full_ids, total=total, filename=filename
        )
        _audit(user, kind, params, full_ids, total, request, job=job.pk)
        from reports.tasks import build_export

        transaction.on_commit(lambda: build_export.delay(job.pk))
        return job
    _audit(user, kind, params, full_ids, total, request)
    out = tempfile.TemporaryFile()  # noqa: SIM115  (handed to the response, which closes it)
    with replica_reads():
        rows = write_xlsx(export, queryset.iterator(chunk_size=2000), out, full_ids=full_ids)
    out.seek(0)
    return Built(out, filename, rows)


def _audit(user, kind, params, full_ids, rows, request, job=None) -> None:
    detail = {"filters": params, "full_ids": full_ids, "rows": rows, **({"job": job} if job else {})}
    audit.record(actor=user, action=AuditAction.EXPORT, object_type=kind, detail=detail, request=request)


def export_download(*, user: User, job: ExportJob, request=None) -> None:
    """The file of a job, fetched by its owner: audited like any download."""
    audit.record(actor=user, action=AuditAction.DOWNLOAD, object_type="export", object_id=job.pk, request=request)


def export_build(*, job_id: int) -> ExportJob:
    """Build a queued job's file (Celery, fetched by ID). Claimed pending → running by compare-and-swap,
    so two workers never build one job; the rows are read in the owner's scope as it is now."""
    if not ExportJob.objects.filter(pk=job_id, state=ExportState.PENDING).update(state=ExportState.RUNNING):
        return ExportJob.objects.get(pk=job_id)
    job = ExportJob.objects.select_related("owner__unit").get(pk=job_id)
    export: Export = EXPORTS[job.kind]
    relative = f"exports/{job.owner_id}/{uuid4().hex}.xlsx"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)

    def progress(written: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(written=written)

    try:
        queryset = export.queryset(job.owner, job.params)
        with path.open("wb") as out, replica_reads():
            written = write_xlsx(
                export, queryset.iterator(chunk_size=2000), out, full_ids=job.full_ids, progress=progress
            )
    except Exception as exc:
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportState.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.DONE, written=written, total=written, file=relative, finished_at=timezone.now()
    )
    return ExportJob.objects.get(pk=job.pk)


def tally_rebuild() -> dict:
    """The dashboard's pre-aggregated counts recomputed from the applications and recognitions
    (after a bulk load, or once after upgrading): normally every write keeps them current itself."""
    return {"applications": applications_rebuild(), "recognitions": recognitions_rebuild()}
