"""Thin tasks: ids and ISO dates in, the digest service does the work.

``acks_late`` is safe here because the service claims a Digest row (and a Reminder row
per item) under unique constraints before anything is sent: a task redelivered after a
crash, or run by two workers, sends nothing twice.
"""
from datetime import date
from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, User

from . import services


@shared_task(
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    autoretry_for=(services.DigestEmailFailed,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def send_digest(recipient_id: int, day: str) -> None:
    try:
        recipient = User.objects.get(pk=recipient_id, is_active=True)
    except User.DoesNotExist:
        return
    services.digest_send(recipient=recipient, day=date.fromisoformat(day))


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def send_daily_digests(day: str | None = None, office_id: int | None = None) -> int:
    """Queue one ``send_digest`` per person with something due; each runs, fails and retries alone."""
    day = day or timezone.localdate().isoformat()
    office = Office.objects.filter(pk=office_id).first() if office_id else None
    recipients = services.recipients_due(day=date.fromisoformat(day), office=office)
    for recipient in recipients:
        transaction.on_commit(partial(send_digest.delay, recipient.pk, day))
    return len(recipients)
