"""Model bases shared by the apps' records (DESIGN.md §9: no hard delete of opinions or logs)."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import models


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


class HashChained(Immutable):
    """A log entry that hashes its `content()` together with the previous entry of the same object,
    so a changed or inserted entry breaks the chain (verify_logs and the exits tests check it)."""

    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def content(self) -> dict:
        raise NotImplementedError

    def compute_hash(self) -> str:
        body = json.dumps(self.content(), ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256((self.prev_hash + body).encode()).hexdigest()
