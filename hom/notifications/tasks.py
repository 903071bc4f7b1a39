"""Thin tasks: ids and ISO dates in, the digest service does the work.

``acks_late`` with ``reject_on_worker_lost`` is safe here because the service claims a
Digest row (and a Reminder row per item) under unique constraints before anything is
sent: a task redelivered after a crash, or run by two workers, sends nothing twice. A
claim whose worker died stays "claimed": ``requeue_stale_digests`` (beat, every 5 minutes)
queues it again once its lease is over, and the claim's conditional UPDATE lets one run take it.
"""
from datetime import date
from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, User

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
    autoretry_for=(services.DigestEmailFailed,),
    retry_backoff=settings.DIGEST_RETRY_BACKOFF,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def send_digest(recipient_id: int, day: str) -> None:
    try:
        recipient = User.objects.get(pk=recipient_id, is_active=True)
    except User.DoesNotExist:
        return
    try:
        services.digest_send(recipient=recipient, day=date.fromisoformat(day))
    except SoftTimeLimitExceeded as error:
        # Struck mid-send (an SMTP server answering too slowly): retried like a failed email, not dropped.
        services.digest_release(recipient=recipient, day=date.fromisoformat(day), error="soft time limit exceeded")
        raise services.DigestEmailFailed("soft time limit exceeded") from error


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=300, time_limit=360)
def send_daily_digests(day: str | None = None, office_id: int | None = None) -> int:
    """Queue one ``send_digest`` per person with something due; each runs, fails and retries alone."""
    day = day or timezone.localdate().isoformat()
    office = Office.objects.filter(pk=office_id).first() if office_id else None
    recipients = services.recipients_due(day=date.fromisoformat(day), office=office)
    for recipient in recipients:
        transaction.on_commit(partial(send_digest.delay, recipient.pk, day))
    return len(recipients)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=60, time_limit=90)
def requeue_stale_digests() -> int:
    """Every 5 minutes (django-celery-beat, migration 0005): queue again each digest left "claimed"
    past its lease. Safe to run twice: only one ``send_digest`` run can take a stale claim."""
    stale = services.digests_stale()
    for recipient_id, day in stale:
        transaction.on_commit(partial(send_digest.delay, recipient_id, day.isoformat()))
    return len(stale)
