"""Thin tasks: the services do the work."""
from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=3600, time_limit=3700)
def rebuild_visit_summaries() -> int:
    """Nightly (django-celery-beat, see migration 0003): rebuild every month's summaries, one month per transaction.

    Visits saved through the application refresh their month at once (``signals``); this
    catches what came another way (bulk imports, SQL). Safe to run twice: each month is
    rebuilt from the visits. Returns the number of months rebuilt.
    """
    months = services.months_to_summarise()
    for month in months:
        services.visit_summary_rebuild_month(month=month)
    return len(months)
