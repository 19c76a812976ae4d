"""An optional read replica for the heavy reads (issue 13): with `DATABASE_REPLICA_URL` set there is
a `replica` database alias, and the reads made inside `replica_reads()` — the dashboard's figures,
the stats API, the rows of Excel exports — go there. Everything else, and every write, uses
`default`; so does any read inside a transaction on `default` (it must see its own writes, which a
replica shows only later), which keeps the transition service and every other service on the
primary. Without a replica, `replica_reads()` changes nothing."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads to the replica inside replica_reads(), nothing else."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reading.get() and REPLICA in connections.settings and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # one database and its copy: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by replication
