"""Writes on the message ledger: queue a message once, send it once, record what gateways report.

``message_enqueue`` is called inside the caller's transaction: it inserts the message under the
unique ``(key, channel)`` (a second call returns the first row and queues nothing) and writes its
send to the outbox (``hom.outbox``), published after the commit. ``message_send`` (the Celery task
``hom.messaging.tasks.message_send``) claims the row with a conditional UPDATE (a lease) before
calling the gateway, so two workers never send one message; a gateway error leaves it queued with
the error, to be retried with backoff until ``MESSAGING_MAX_ATTEMPTS``, then failed.
"""
import logging
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from hom.outbox.services import outbox_enqueue

from .backends import GatewayError, backend_for
from .models import DAILY_CAP, OPTED_OUT, Channel, DailyCount, Message, MessageStatus, OptOut
from .phones import to_e164
from .text import sms_segments

logger = logging.getLogger(__name__)

DAKAR = ZoneInfo("Africa/Dakar")
SEND_TASK = "hom.messaging.tasks.message_send"
# A message claimed longer ago than this was left by a worker that died: the beat task takes it again.
SEND_LEASE = timedelta(minutes=5)
DUE_BATCH = 500
STOP_WORDS = {"STOP", "ARRET", "ARRÊT"}


class MessageSendFailed(Exception):
    """The gateway failed and the message waits for a retry (the task retries on it)."""


def quiet_hours() -> tuple[int, int]:
    """``SMS_QUIET_HOURS`` ("21-8"): the hours (Africa/Dakar) from which and until which nothing is sent."""
    start, _dash, end = settings.SMS_QUIET_HOURS.partition("-")
    return int(start), int(end)


def quiet_until(now: datetime | None = None) -> datetime | None:
    """The end of the quiet hours when ``now`` falls inside them (the next 08:00 Dakar), else None."""
    start, end = quiet_hours()
    if start == end:
        return None
    local = timezone.localtime(now or timezone.now(), DAKAR)
    inside = (local.hour >= start or local.hour < end) if start > end else (start <= local.hour < end)
    if not inside:
        return None
    day = local.date() + timedelta(days=1) if start > end and local.hour >= start else local.date()
    return datetime.combine(day, time(end), tzinfo=DAKAR)


def _count_today(*, phone: str, channel: str, now: datetime) -> bool:
    """Count one more message to ``phone`` today (Africa/Dakar); False, counting nothing, when the
    daily cap is reached. The day's row stays locked until the caller's transaction ends."""
    day = timezone.localtime(now, DAKAR).date()
    counter, _created = DailyCount.objects.select_for_update().get_or_create(to=phone, channel=channel, day=day)
    if counter.count >= settings.SMS_DAILY_CAP:
        return False
    DailyCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    return True


def daily_counts_purge(*, now: datetime | None = None) -> int:
    """Forget the counters of the days before yesterday (they hold numbers and serve no more)."""
    yesterday = timezone.localtime(now or timezone.now(), DAKAR).date() - timedelta(days=1)
    deleted, _by_model = DailyCount.objects.filter(day__lt=yesterday).delete()
    return deleted


@transaction.atomic
def message_enqueue(
    *,
    key: str,
    channel: str,
    to,
    body: str,
    office=None,
    source: str = "",
    person_key: str = "",
    template: str = "",
    params: list | None = None,
    language: str = "",
) -> Message:
    """Queue ``body`` to ``to`` on ``channel`` once per ``(key, channel)``, ever (see the module)."""
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    phone = to_e164(to)
    existing = Message.objects.filter(key=key, channel=channel).first()
    if existing is not None:
        return existing
    now = timezone.now()
    segments = sms_segments(body)
    message = Message(
        office=office,
        channel=channel,
        to=phone,
        body=body,
        template=template,
        params=list(params or []),
        language=language,
        key=key,
        source=source,
        person_key=person_key,
        segments=max(segments.count, 1) if channel == Channel.SMS else 1,
        encoding=segments.encoding,
    )
    try:
        # One savepoint for the count and the row: a duplicate key undoes its count too.
        with transaction.atomic():
            if OptOut.objects.filter(phone=phone).exists():
                message.status, message.error = MessageStatus.FAILED, OPTED_OUT
            elif not _count_today(phone=phone, channel=channel, now=now):
                message.status, message.error = MessageStatus.FAILED, DAILY_CAP
            else:
                message.not_before = quiet_until(now)
            message.save()
    except IntegrityError:
        # Another transaction inserted the same (key, channel) meanwhile: that one is the message.
        return Message.objects.get(key=key, channel=channel)
    if message.status == MessageStatus.QUEUED and message.not_before is None:
        outbox_enqueue(task=SEND_TASK, args=[message.pk])
    # Queued at night: messages_send_due (beat, every minute) sends it at the end of the quiet hours.
    return message


def _claim(message_id: int, now: datetime) -> bool:
    return bool(
        Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - SEND_LEASE))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.MESSAGING_RETRY_BACKOFF * 2 ** max(attempts - 1, 0), 3600))


def message_send(*, message_id: int) -> Message | None:
    """Send one queued message, once. None when there is nothing to do now (sent, failed, held by
    another worker, or waiting for the morning). Raises ``MessageSendFailed`` when the gateway
    failed and a retry may help; the last allowed attempt, or a permanent refusal, marks it failed."""
    now = timezone.now()
    if not _claim(message_id, now):
        return None
    message = Message.objects.get(pk=message_id)
    mine = Message.objects.filter(pk=message_id, claimed_at=now)
    if OptOut.objects.filter(phone=message.to).exists():  # STOP arrived after it was queued
        mine.update(status=MessageStatus.FAILED, error=OPTED_OUT, claimed_at=None)
        return Message.objects.get(pk=message_id)
    try:
        provider_id = backend_for(message.channel).send(message)
    except GatewayError as error:
        text = str(error)[:1000]
        if error.permanent or message.attempts >= settings.MESSAGING_MAX_ATTEMPTS:
            mine.update(status=MessageStatus.FAILED, error=text, claimed_at=None, retry_at=None)
            logger.warning("Message %s failed for good after %s attempts: %s", message_id, message.attempts, text)
            return Message.objects.get(pk=message_id)
        mine.update(error=text, claimed_at=None, retry_at=now + retry_delay(message.attempts))
        logger.warning("Message %s not sent (attempt %s), retried: %s", message_id, message.attempts, text)
        raise MessageSendFailed(text) from error
    mine.update(
        status=MessageStatus.SENT, sent_at=timezone.now(), provider_id=provider_id[:200], error="", claimed_at=None,
        retry_at=None,
    )
    return Message.objects.get(pk=message_id)


def message_release(*, message_id: int, error: str) -> bool:
    """Give up a claim this run cannot finish (its soft time limit struck at the gateway): the message
    waits for its retry at once instead of for the lease."""
    released = Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED, claimed_at__isnull=False).update(
        claimed_at=None, error=error[:1000], retry_at=timezone.now()
    )
    return bool(released)


def messages_due(*, now: datetime | None = None, limit: int = DUE_BATCH) -> list[int]:
    """Ids of the queued messages the beat task must (re)start: those that waited for the morning,
    those whose retry is due, those whose worker died mid-send (lease over), and any left unpublished."""
    now = now or timezone.now()
    return list(
        Message.objects.filter(status=MessageStatus.QUEUED)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - SEND_LEASE))
        # A message queued just now in the day is the outbox's to publish.
        .filter(Q(not_before__isnull=False) | Q(attempts__gt=0) | Q(queued_at__lt=now - SEND_LEASE))
        .order_by("not_before", "queued_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


STATUS_ORDER = [MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED]


@transaction.atomic
def message_status_record(*, provider_id: str, status: str, error: str = "") -> int:
    """A gateway's delivery receipt: DELIVERED or FAILED for the message it knows as ``provider_id``.
    A delivered message stays delivered. The number of messages changed."""
    if not provider_id:
        return 0
    messages = Message.objects.filter(provider_id=provider_id)
    own = re.fullmatch(r"hom-(\d+)", provider_id)
    if own:  # our own reference, given back by the gateway (a generic gateway, Orange's callbackData)
        messages = Message.objects.filter(Q(provider_id=provider_id) | Q(pk=int(own.group(1))))
    if status == MessageStatus.DELIVERED:
        return messages.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENT]).update(
            status=MessageStatus.DELIVERED, delivered_at=timezone.now()
        )
    if status == MessageStatus.FAILED:
        return messages.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENT]).update(
            status=MessageStatus.FAILED, error=(error or "undelivered")[:1000], claimed_at=None
        )
    return 0


def is_stop_word(text: str) -> bool:
    return (text or "").strip().upper() in STOP_WORDS


@transaction.atomic
def opt_out_record(*, phone, source: str = "") -> tuple[OptOut, bool]:
    """The number answered STOP: nothing is sent to it any more, the queued messages included."""
    number = to_e164(phone)
    opt_out, created = OptOut.objects.get_or_create(phone=number, defaults={"source": source[:60]})
    Message.objects.filter(to=number, status=MessageStatus.QUEUED, claimed_at__isnull=True).update(
        status=MessageStatus.FAILED, error=OPTED_OUT
    )
    return opt_out, created
