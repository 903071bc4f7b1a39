"""Thin tasks: a message id in, the service does the work.

``acks_late`` with ``reject_on_worker_lost`` is safe: the service claims the message before
calling the gateway, so a redelivered task (or two workers) sends nothing twice. A worker killed
mid-send leaves its claim: ``messages_send_due`` (beat, every minute) queues it again after the lease.
"""
from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(services.MessageSendFailed,),
    retry_backoff=settings.MESSAGING_RETRY_BACKOFF,
    retry_backoff_max=3600,
    retry_jitter=False,
    # The service counts the attempts and marks the message failed at MESSAGING_MAX_ATTEMPTS.
    max_retries=settings.MESSAGING_MAX_ATTEMPTS + 2,
)
def message_send(message_id: int) -> str | None:
    try:
        message = services.message_send(message_id=message_id)
    except SoftTimeLimitExceeded as error:
        # Struck at the gateway (one answering too slowly): retried like a gateway error, not dropped.
        services.message_release(message_id=message_id, error="soft time limit exceeded")
        raise services.MessageSendFailed("soft time limit exceeded") from error
    return message.status if message else None


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=60, time_limit=90)
def messages_send_due() -> int:
    """Every minute (django-celery-beat, migration 0002): queue each message that waited for the
    morning, whose retry is due, or whose worker died mid-send. Safe twice: sending claims the row."""
    services.daily_counts_purge()
    due = services.messages_due()
    for message_id in due:
        transaction.on_commit(partial(message_send.delay, message_id))
    return len(due)
