"""The outbox's beat task: publish what a broker outage left behind."""
from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=300)
def outbox_drain() -> int:
    """Every minute (django-celery-beat, migration 0002). Safe to run twice: rows are claimed."""
    return services.outbox_drain()
