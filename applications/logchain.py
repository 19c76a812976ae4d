"""Tamper evidence for the case logs (config.records): the application log and the exit log, each
chained per parent with a keyed hash and a stored head."""

from dataclasses import dataclass

from applications.models import Application, TransitionLog
from config import records
from exits.models import ExitCase, ExitLog


@dataclass(frozen=True)
class Chain:
    label: str  # how the report names the parent
    entries: type
    parents: type
    parent_field: str


CHAINS = [
    Chain("申请", TransitionLog, Application, "application_id"),
    Chain("退出", ExitLog, ExitCase, "case_id"),
]


def verify_chains() -> tuple[int, list[tuple[str, records.Break]]]:
    """Every chain of both logs, walked once: the entries checked and each parent's first problem."""
    checked, breaks = 0, []
    for chain in CHAINS:
        count, found = records.verify(chain.entries.objects.all(), chain.parents.objects.all(), chain.parent_field)
        checked += count
        breaks += [(chain.label, b) for b in found]
    return checked, breaks


def rechain() -> tuple[int, list[tuple[str, int]]]:
    """Re-seal the chains written before the keyed hash; returns how many, and those refused."""
    resealed, refused = 0, []
    for chain in CHAINS:
        count, bad = records.rechain(chain.entries.objects.all(), chain.parents.objects.all(), chain.parent_field)
        resealed += count
        refused += [(chain.label, pk) for pk in bad]
    return resealed, refused
