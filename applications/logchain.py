"""Tamper evidence for the transition log: each entry's hash covers its content and the
previous entry of the same application."""

from dataclasses import dataclass

from applications.models import TransitionLog
from applications.workflow import GENESIS


@dataclass(frozen=True)
class Break:
    application_id: int
    entry_id: int
    problem: str


def verify_chains() -> tuple[int, list[Break]]:
    """Walk every chain once, in order; report the first broken entry of each application."""
    checked, breaks = 0, []
    current, previous, broken = None, GENESIS, False
    for entry in TransitionLog.objects.order_by("application_id", "id").iterator(chunk_size=2000):
        if entry.application_id != current:
            current, previous, broken = entry.application_id, GENESIS, False
        checked += 1
        if broken:
            continue
        if entry.prev_hash != previous:
            breaks.append(Break(entry.application_id, entry.pk, "与上一条记录的链接不符（记录被删除或插入）"))
            broken = True
        elif entry.compute_hash() != entry.hash:
            breaks.append(Break(entry.application_id, entry.pk, "记录内容与其哈希不符（记录被修改）"))
            broken = True
        previous = entry.hash
    return checked, breaks
