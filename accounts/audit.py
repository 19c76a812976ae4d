"""The audit trail (DESIGN.md §9, API.md "Audit"): one call per full-ID view, download, export,
transition, identity check and failed login. Callers pass the request when there is one; the
address is REMOTE_ADDR only (a client writes X-Forwarded-For itself)."""

from accounts.models import AuditAction, AuditEvent, User


def record(
    *,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: int | str = "",
    detail: dict | None = None,
    request=None,
) -> AuditEvent:
    """Append one event; called inside the caller's transaction, so it commits or rolls back with it."""
    AuditAction(action)  # an unknown action is a programming error: ValueError
    if actor is not None and not actor.is_authenticated:
        actor = None
    ip = request.META.get("REMOTE_ADDR") or None if request is not None else None
    return AuditEvent.objects.create(
        actor=actor,
        role=actor.role if actor else "",
        unit_code=(actor.unit_id or "") if actor else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        ip=ip,
    )


def downloaded(request, response, *, object_type: str, object_id: int | str, document: str, **detail):
    """Record a download by `request.user` when `response` carries the file (200), and return it."""
    if response.status_code == 200:
        record(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            object_type=object_type,
            object_id=object_id,
            detail={"document": document, **detail},
            request=request,
        )
    return response


def full_id_shown(request, *, object_type: str, object_id: int | str) -> None:
    """Record that a response shows staff a full ID number (API.md "Audit": view_full_id). An applicant
    is only ever shown their own number, which is not audited."""
    if request.user.is_authenticated and not request.user.is_applicant:
        record(
            actor=request.user,
            action=AuditAction.VIEW_FULL_ID,
            object_type=object_type,
            object_id=object_id,
            request=request,
        )
