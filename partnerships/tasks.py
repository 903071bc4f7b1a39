"""Celery tasks of the partnerships app: thin, by id, safe to run twice (the notices are exactly once by key)."""
from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .events import services as event_services
from .events.models import EventParticipant
from .models import Introduction
from .services import notice_send_for_introduction

# A notice (migrants.notices) and its email are one transaction: a failed send is retried whole.
NOTICE_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 60,
    "time_limit": 90,
    "autoretry_for": (SMTPException, OSError, SoftTimeLimitExceeded),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(**NOTICE_TASK)
def introduction_notify(introduction_id: int) -> None:
    introduction = Introduction.objects.select_related("migrant__user", "migrant__office", "organisation").filter(
        pk=introduction_id
    ).first()
    if introduction is not None:
        notice_send_for_introduction(introduction=introduction)


@shared_task(**NOTICE_TASK)
def event_registration_notify(participant_id: int) -> None:
    participant = EventParticipant.objects.select_related("event", "migrant__user", "migrant__office").filter(
        pk=participant_id, migrant__isnull=False
    ).first()
    if participant is not None:
        event_services.notice_send_for_registration(participant=participant)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(SMTPException, OSError), retry_backoff=60,
             max_retries=6)
def event_reminders_send(day: str | None = None) -> int:
    """Beat, daily: remind tomorrow's events to their registered persons (each one once, by key)."""
    from datetime import date

    return event_services.event_reminders_send(day=date.fromisoformat(day) if day else None)
