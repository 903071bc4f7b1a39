"""Beat task of the one-time form keys."""
from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_submissions() -> int:
    """Every six hours (django-celery-beat, migration 0002). Safe to run twice: a delete."""
    return services.submissions_purge()
