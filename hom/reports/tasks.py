"""Thin tasks: the services do the work."""
from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=3600, time_limit=3700)
def rebuild_visit_summaries(full: bool = False) -> int:
    """Nightly (django-celery-beat, see migration 0003): rebuild the months whose visits changed, one month per transaction.

    Visits saved through the application refresh their month at once (``signals``); this
    catches what came another way (bulk imports, SQL, a refresh that failed) and builds the
    months never built: ``services.months_changed``. ``full``: every month of
    ``services.months_to_summarise`` (``rebuild_report_summaries --all``). Safe to run twice,
    and to stop midway: each month is rebuilt from the visits in its own transaction, and a
    month not rebuilt yet still differs next time. Returns the number of months rebuilt.
    """
    months = services.months_to_summarise() if full else services.months_changed()
    for month in months:
        services.visit_summary_rebuild_month(month=month)
    return len(months)
