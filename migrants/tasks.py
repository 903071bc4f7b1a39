"""Celery tasks of the registry: thin, by id, safe to run twice."""
from celery import shared_task

from . import services
from .imports import import_run
from .models import MigrantImport


# All or nothing: a worker lost mid-run rolls the rows back. (Its claim, RUNNING, stays: see docs/notifications.md.)
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_migrant_import(import_id: int) -> None:
    try:
        migrant_import = MigrantImport.objects.select_related("office", "uploaded_by").get(pk=import_id)
    except MigrantImport.DoesNotExist:
        return
    # import_run claims the row (QUEUED -> RUNNING) before any write, so a redelivery does nothing.
    import_run(migrant_import=migrant_import)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_pending_sign_ups() -> int:
    """Every six hours (django-celery-beat, migration 0008). Safe to run twice: a delete."""
    return services.pending_sign_ups_purge()


@shared_task
def access_log_purge() -> int:
    """Nightly (beat): forget the access log's rows older than ACCESS_LOG_RETENTION_DAYS. Safe to run twice."""
    from .access_log import access_log_purge as purge

    return purge()


@shared_task(acks_late=True)
def retention_erase() -> dict:
    """Nightly (beat): erase the persons the retention rule selects (RETENTION_NO_CONTACT_DAYS). Safe to run twice."""
    from .services import retention_erase as erase

    return erase()
