"""Keep the visit summaries in step with the visits: a saved, moved or deleted visit refreshes,
once the transaction commits, its person's (or its office's walk-ins') rows of its month, and
of the month it came from."""

import logging
import threading
from contextlib import contextmanager
from functools import partial

from django.db import DatabaseError
from django.db.transaction import on_commit

from .services import month_of, visit_summary_rebuild_month, visit_summary_refresh

logger = logging.getLogger(__name__)

# Inside ``summaries_deferred()``: the months touched, rebuilt once each when the block ends.
_deferred = threading.local()


def _slice(visit):
    # Read from __dict__: a visit loaded with deferred fields must not query here.
    values = visit.__dict__
    if values.get("office_id") is None or values.get("occurred_at") is None or "migrant_id" not in values:
        return None
    return (month_of(values["occurred_at"]), values["office_id"], values["migrant_id"])


def _refresh(slices) -> None:
    for month, office_id, migrant_id in slices:
        try:
            visit_summary_refresh(month=month, office_id=office_id, migrant_id=migrant_id)
        except DatabaseError:
            # The visit is saved; the nightly rebuild will put the month right.
            logger.exception("refreshing the visit summary of %s failed", month)


def _schedule(*slices) -> None:
    wanted = {found for found in slices if found is not None}
    months = getattr(_deferred, "months", None)
    if months is not None:
        months.update(month for month, _office_id, _migrant_id in wanted)
        return
    if wanted:
        on_commit(partial(_refresh, sorted(wanted, key=lambda item: (item[0], item[1], item[2] or 0))))


@contextmanager
def summaries_deferred():
    """Bulk writes (the demo, a large load): no refresh per visit; each month touched is rebuilt
    once, whole, when the block ends (a whole month's rebuild is a few statements; a refresh per
    visit is a transaction per visit). Nested blocks leave the rebuild to the outermost one."""
    if getattr(_deferred, "months", None) is not None:
        yield
        return
    _deferred.months = set()
    try:
        yield
    finally:
        months, _deferred.months = _deferred.months, None
        for month in sorted(months):
            try:
                visit_summary_rebuild_month(month=month)
            except DatabaseError:
                logger.exception("rebuilding the visit summaries of %s failed", month)


def refresh_after_commit(*slices) -> None:
    """Refresh these (month, office id, person id or None) slices of the summaries once the transaction commits."""
    _schedule(*slices)


def visit_loaded(sender, instance, **kwargs):
    instance._summary_slice = _slice(instance) if instance.pk else None


def visit_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before, now = getattr(instance, "_summary_slice", None), _slice(instance)
    instance._summary_slice = now
    _schedule(before, now)


def visit_deleted(sender, instance, **kwargs):
    _schedule(getattr(instance, "_summary_slice", None), _slice(instance))


def visit_needs_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _schedule(_slice(instance))
        return
    from migrants.models import Visit

    if pk_set:
        visits = Visit.objects.filter(pk__in=pk_set).only("office", "migrant", "occurred_at")
        _schedule(*(_slice(visit) for visit in visits))
