"""Writes on the outbox: enqueue work with a change, publish it once the change is committed.

``outbox_enqueue`` is called inside the service that makes the change (its transaction):
the row commits with the change or not at all. After the commit ``outbox_publish`` sends
it to the broker; when the broker is down it logs, leaves the row for the beat task
(``outbox_drain``) and returns: a request never fails because of the broker.

Each row is published once: a publisher claims it with a conditional UPDATE (a lease, for a
publisher that dies between the broker and the mark) and marks it published after the broker
took it. The consumers are idempotent anyway (claims, unique constraints), so a row published
twice after a crash does nothing twice.
"""
import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A row claimed longer ago than this was left by a publisher that died: another may take it.
PUBLISH_LEASE = timedelta(minutes=2)
DRAIN_BATCH = 500


@transaction.atomic
def outbox_enqueue(*, task: str, args: list | tuple = ()) -> OutboxMessage:
    """Save ``task(*args)`` with the caller's transaction; publish it once that commits."""
    import_string(task)  # a typo fails here, in the caller's tests, not later in a worker
    message = OutboxMessage(task=task, args=list(args))
    message.full_clean()
    message.save()
    transaction.on_commit(partial(outbox_publish, message_id=message.pk))
    return message


def _claim(message_id: int) -> OutboxMessage | None:
    now = timezone.now()
    taken = (
        OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - PUBLISH_LEASE))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    return OutboxMessage.objects.get(pk=message_id) if taken else None


def outbox_publish(*, message_id: int) -> bool:
    """Publish one row to the broker. True when published now; False when the broker refused it
    (the row stays for the drain) or another publisher has it or had it."""
    message = _claim(message_id)
    if message is None:
        return False
    try:
        # No result is awaited: publishing must not wait for the result store either (it is Redis too).
        import_string(message.task).apply_async(args=message.args, retry=False, ignore_result=True)
    except Exception as error:  # noqa: BLE001 - whatever the broker says, the row waits for the drain
        logger.warning("Outbox: %s not published, kept for later: %s", message, error)
        OutboxMessage.objects.filter(pk=message.pk).update(
            claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:1000]
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(published_at=timezone.now(), claimed_at=None, last_error="")
    return True


def outbox_drain(*, limit: int = DRAIN_BATCH) -> int:
    """Publish what is still waiting, oldest first; stop at the first refusal (the broker is down)."""
    published = 0
    pending = OutboxMessage.objects.filter(published_at__isnull=True).order_by("created_at", "pk")
    for message_id in list(pending.values_list("pk", flat=True)[:limit]):
        if outbox_publish(message_id=message_id):
            published += 1
            continue
        if OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True, claimed_at__isnull=True).exists():
            break  # refused by the broker, not taken by another publisher: try again at the next run
    return published
