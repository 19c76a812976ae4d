"""Model bases shared by the apps' records (DESIGN.md §9: no hard delete of opinions or logs).

A hash-chained log (issue 12 #4): each entry's HMAC-SHA256, keyed with settings.LOG_CHAIN_KEY (from the
environment, never in the database), covers its content and the previous entry's hash, so an edited or
inserted entry breaks the chain and cannot be re-sealed without the key; the chain's parent stores
its head (ChainHead: how many entries and the last hash, written under the parent's row lock in the
transaction of each append), so deleting the last entries, or all of them, shows too. `verify` walks
the chains; `rechain` re-seals chains written before the key (manage.py rechain)."""

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class Immutable(models.Model):
    """Rows that are written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("此记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("此记录不可删除。")


def keyed_hash(body: bytes) -> str:
    """A chain entry's hash: HMAC-SHA256 of its body under LOG_CHAIN_KEY (set-based writers that build
    the body themselves, e.g. exits.detection, seal with this too)."""
    return hmac.digest(settings.LOG_CHAIN_KEY.encode(), body, hashlib.sha256).hex()


class HashChained(Immutable):
    """A log entry whose keyed hash covers its `content()` and the previous entry of the same parent."""

    prev_hash = models.CharField(_("上一条记录摘要"), max_length=64)
    hash = models.CharField(_("本条记录摘要"), max_length=64)

    class Meta:
        abstract = True

    def content(self) -> dict:
        raise NotImplementedError

    def body(self) -> bytes:
        return (self.prev_hash + json.dumps(self.content(), ensure_ascii=False, sort_keys=True, default=str)).encode()

    def compute_hash(self) -> str:
        return keyed_hash(self.body())

    def unkeyed_hash(self) -> str:
        """The hash of chains written before the key (plain SHA-256), for `rechain` only."""
        return hashlib.sha256(self.body()).hexdigest()


class ChainHead(models.Model):
    """The parent of a chain: its entry count and last hash."""

    log_seq = models.PositiveIntegerField(_("日志条数"), default=0, editable=False)
    log_head = models.CharField(_("最后一条日志摘要"), max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def seal(self, entry: HashChained) -> None:
        """After appending `entry`; the caller holds this row's lock (or has just created the row)."""
        self.log_seq += 1
        self.log_head = entry.hash
        type(self).objects.filter(pk=self.pk).update(log_seq=self.log_seq, log_head=self.log_head)


@dataclass(frozen=True)
class Break:
    parent_id: int
    entry_id: int | None
    problem: str


def verify(entries: QuerySet, parents: QuerySet, parent_field: str) -> tuple[int, list[Break]]:
    """Walk every chain once, in order: the first broken entry of each parent, and parents whose stored
    head does not match what is left (entries deleted at the end, or all of them)."""
    checked, breaks, walked = 0, [], {}  # parent id -> (entries, last hash)
    current, previous, broken = None, GENESIS, False
    for entry in entries.order_by(parent_field, "id").iterator(chunk_size=2000):
        parent = getattr(entry, parent_field)
        if parent != current:
            current, previous, broken = parent, GENESIS, False
        checked += 1
        count, _ = walked.get(parent, (0, GENESIS))
        walked[parent] = (count + 1, entry.hash)
        if broken:
            continue
        if entry.prev_hash != previous:
            breaks.append(Break(parent, entry.pk, "与上一条记录的链接不符（记录被删除或插入）"))
            broken = True
        elif entry.compute_hash() != entry.hash:
            breaks.append(Break(parent, entry.pk, "记录内容与其哈希不符（记录被修改）"))
            broken = True
        previous = entry.hash
    broken_parents = {b.parent_id for b in breaks}
    for pk, seq, head in parents.values_list("pk", "log_seq", "log_head").iterator(chunk_size=2000):
        count, last = walked.get(pk, (0, GENESIS))
        if pk in broken_parents or (count, last) == (seq, head or GENESIS):
            continue
        if count < seq:
            breaks.append(Break(pk, None, f"记录少于登记的 {seq} 条，只剩 {count} 条（末尾或全部记录被删除）"))
        else:
            breaks.append(Break(pk, None, "最后一条记录与登记的链头不符（记录被删除、追加或链头被改）"))
    return checked, breaks


def rechain(entries: QuerySet, parents: QuerySet, parent_field: str) -> tuple[int, list[int]]:
    """Re-seal chains written before the key: each chain whose unkeyed hashes still verify gets keyed
    hashes and its head, in one transaction per chain; a chain that does not verify is left as it is
    (tampering is not laundered) and its parent id returned. Chains already keyed are left alone."""
    resealed, refused = 0, []
    for parent in parents.filter(log_seq=0).iterator(chunk_size=500):
        with transaction.atomic():
            parent = parents.select_for_update().get(pk=parent.pk)
            chain = list(entries.filter(**{parent_field: parent.pk}).order_by("id"))
            if not chain or parent.log_seq:
                continue
            previous = GENESIS
            for entry in chain:
                if entry.prev_hash != previous or entry.unkeyed_hash() != entry.hash:
                    refused.append(parent.pk)
                    break
                previous = entry.hash
            else:
                previous = GENESIS
                for entry in chain:
                    entry.prev_hash = previous
                    entry.hash = entry.compute_hash()
                    type(entry).objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
                    previous = entry.hash
                type(parent).objects.filter(pk=parent.pk).update(log_seq=len(chain), log_head=previous)
                resealed += 1
    return resealed, refused
