"""Reads of reports and exports from a read replica, when one is configured (docs/deployment.md).

``REPLICA_DATABASE_URL`` set, the ``replica`` database alias exists and ``ReplicaRouter`` (in
``DATABASE_ROUTERS``) sends to it the reads made inside ``replica_reads()``: the views marked
``@reads_from_replica`` (the reports, their exports and the public commune profile, the registry's
exports) and the streamed rows of a CSV they return. Everything else reads the primary, and every
write goes to the primary, whatever the scope (``db_for_write``; ``select_for_update`` counts as a
write). A replica lags the primary by a moment: only pages that read aggregates or whole lists go
there, never a page that reads back what its form just wrote.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"

_reading = ContextVar("hom_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and settings.REPLICA_READS


@contextmanager
def replica_reads():
    """Reads inside go to the replica (when there is one)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reading_from_replica() -> bool:
    return _reading.get()


def streamed_from_replica(chunks: Iterator) -> Iterator:
    """A streamed body read after the view has returned: its queries stay on the replica."""
    with replica_reads():
        yield from chunks


def reads_from_replica(view):
    """A view (or an API view's method) whose reads go to the replica; its access checks ran before it."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
