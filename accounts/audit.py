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
