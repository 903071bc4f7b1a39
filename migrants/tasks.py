"""Celery tasks of the registry: thin, by id, safe to run twice."""
from smtplib import SMTPException

from celery import shared_task

from . import services
from .imports import import_run, imports_requeue_stale
from .models import MigrantImport


# All or nothing: a worker lost mid-run rolls the rows back WITH its claim; the import is QUEUED again, for
# the broker's redelivery (acks_late) or for requeue_stale_imports.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_migrant_import(import_id: int) -> None:
    try:
        migrant_import = MigrantImport.objects.select_related("office", "uploaded_by").get(pk=import_id)
    except MigrantImport.DoesNotExist:
        return
    # import_run claims the row (QUEUED -> RUNNING) in the rows' transaction: a second delivery waits for the
    # first to end, then finds nothing to claim.
    import_run(migrant_import=migrant_import)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def requeue_stale_imports() -> int:
    """Every ten minutes (beat, migration 0013): imports whose run was lost are published again. Safe to run twice."""
    return imports_requeue_stale()


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


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_campaign(campaign_id: int) -> int:
    """Send one campaign (published by its sending or by the beat task). Safe to run twice: the campaign is
    claimed with a conditional UPDATE and each message has its key (migrants/campaigns/services.py)."""
    from .campaigns.services import campaign_fan_out

    return campaign_fan_out(campaign_id=campaign_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_campaigns() -> int:
    """Every minute (beat): the scheduled campaigns whose time has come. Safe to run twice."""
    from .campaigns.services import campaigns_send_due

    return campaigns_send_due()


# Appointments (migrants/appointments, docs/appointments.md): notices exactly once by key; a failed email is
# retried whole (the notice and its email are one transaction).
APPOINTMENT_NOTICE_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 6,
}


def _booking(booking_id: int):
    from .appointments.models import Booking

    return Booking.objects.select_related("slot__office", "migrant__user", "migrant__office",
                                          "migrant__contact_choice").filter(pk=booking_id).first()


@shared_task(**APPOINTMENT_NOTICE_TASK)
def appointment_booked_notify(booking_id: int) -> None:
    from .appointments.services import notice_send_for_booking

    booking = _booking(booking_id)
    if booking is not None:
        notice_send_for_booking(booking=booking)


@shared_task(**APPOINTMENT_NOTICE_TASK)
def appointment_cancelled_notify(booking_id: int) -> None:
    from .appointments.services import notice_send_for_cancelled_slot

    booking = _booking(booking_id)
    if booking is not None:
        notice_send_for_cancelled_slot(booking=booking)


@shared_task(**APPOINTMENT_NOTICE_TASK)
def appointment_reminders_send(day: str | None = None) -> int:
    """Beat, daily at 10:00 Africa/Dakar: remind tomorrow's appointments to their persons (each booking once)."""
    from datetime import date

    from .appointments.services import appointment_reminders_send as send

    return send(day=date.fromisoformat(day) if day else None)
