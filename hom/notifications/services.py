"""Writes on notifications: the daily digest (claimed, then sent once), marking read, preferences.

``digest_send`` is the one service behind the beat task, its retries and the
``send_reminders`` command. It is deliberately *not* one transaction: the claim (the
digest's row, its items' ledger rows and notifications, together) commits before the
email goes out, so that a second worker (or a retry, or a worker that died mid-run) sees
what was already claimed; marking the digest sent is a second commit after the email.
"""
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from hom.accounts.models import User
from hom.links import absolute_url

from .counts import forget_unread_counts
from .due import DueItem, due_items
from .models import Digest, DigestState, Notification, NotificationPreference, Reminder

logger = logging.getLogger(__name__)

# A digest claimed longer ago than this was left by a worker that died: it may be taken again.
CLAIM_LEASE = timedelta(minutes=15)
# Stale claims older than this are left alone by the re-queue task.
STALE_DIGEST_MAX_AGE_DAYS = 2


class DigestEmailFailed(Exception):
    """The digest's email could not be sent; the digest is marked failed and may be retried."""


@dataclass
class DigestLine:
    item: DueItem
    title: str
    url: str
    is_new: bool


def preference_for(user) -> NotificationPreference:
    """The person's preferences, or the defaults (every kind, by email, French) when none are saved."""
    return NotificationPreference.objects.filter(recipient=user).first() or NotificationPreference(recipient=user)


def digest_items(*, recipient, day: date, preference: NotificationPreference | None = None) -> list[DueItem]:
    preference = preference or preference_for(recipient)
    wanted = set(preference.kinds)
    return [item for item in due_items(today=day, recipient=recipient) if item.kind in wanted]


def recipients_due(*, day: date, office=None) -> list[User]:
    """The active people with at least one item due by ``day`` (in ``office`` when given)."""
    ids = {item.recipient_id for item in due_items(today=day, office=office)}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "email"))


def _claim_digest(*, recipient, day: date) -> Digest | None:
    now = timezone.now()
    try:
        with transaction.atomic():
            return Digest.objects.create(recipient=recipient, day=day, claimed_at=now)
    except IntegrityError:
        pass
    # Already claimed. A failed digest, or one left behind by a dead worker, is taken again
    # by the one caller whose conditional UPDATE matches.
    taken = (
        Digest.objects.filter(recipient=recipient, day=day)
        .filter(Q(state=DigestState.FAILED) | Q(state=DigestState.CLAIMED, claimed_at__lt=now - CLAIM_LEASE))
        .update(state=DigestState.CLAIMED, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    )
    return Digest.objects.get(recipient=recipient, day=day) if taken else None


# Rows per INSERT statement of the portable claim (well under SQLite's parameter limit).
CLAIM_BATCH_SIZE = 2000

# The claim on PostgreSQL, one statement: the items as arrays, their ledger rows inserted in
# key order (ON CONFLICT DO NOTHING: announced before, by any digest, they stay as they were),
# a notification for each row inserted now; the keys inserted now come back. Data-modifying
# CTEs run to completion whether or not the outer query reads them.
CLAIM_SQL_POSTGRESQL = """
WITH item AS (
    SELECT * FROM unnest(%(recipients)s::bigint[], %(kinds)s::text[], %(keys)s::text[], %(due)s::date[],
                         %(titles)s::text[], %(urls)s::text[], %(shown)s::date[])
        WITH ORDINALITY AS item(recipient_id, kind, object_key, due_on, title, url, shown_on, position)
), claimed AS (
    INSERT INTO notifications_reminder (recipient_id, kind, object_key, due_on, digest_id, created_at)
    SELECT recipient_id, kind, object_key, due_on, %(digest)s, %(now)s FROM item ORDER BY position
    ON CONFLICT DO NOTHING
    RETURNING id, recipient_id, kind, object_key, due_on
), told AS (
    INSERT INTO notifications_notification (recipient_id, kind, title, url, object_key, due_on, reminder_id, created_at)
    SELECT item.recipient_id, item.kind, item.title, item.url, item.object_key, item.shown_on, claimed.id, %(now)s
    FROM claimed JOIN item USING (recipient_id, kind, object_key, due_on)
    ORDER BY item.position
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT recipient_id, kind, object_key, due_on FROM claimed
"""


def _claim_reminders(*, digest: Digest, items: list[DueItem]) -> set[tuple]:
    """Claim every item at once; those claimed now (or by this digest before) are new.

    A fixed number of statements whatever the number of items, in one transaction: the
    ledger rows in one ``INSERT ... ON CONFLICT DO NOTHING`` (a row announced before, by any
    digest, stays as it was) and a notification for each row inserted now. Rows and
    notifications commit together or not at all: a worker killed here leaves neither, and
    the next run claims the items again. Keys go in sorted order, so that two claims meeting
    on the same rows (a stale retry of yesterday's digest and today's) lock them in the same
    order: no deadlock. PostgreSQL runs it as one statement (``CLAIM_SQL_POSTGRESQL``); other
    databases through ``bulk_create(ignore_conflicts=True)``, then this digest's rows read back.
    """
    if not items:
        return set()
    by_key = {item.claim_key: item for item in items}
    ordered = [by_key[key] for key in sorted(by_key)]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            new = _claim_reminders_postgresql(digest=digest, items=ordered)
        else:
            new = _claim_reminders_portable(digest=digest, items=ordered)
        if new:
            # No post_save for rows inserted in bulk: the bell's cached counts are forgotten here.
            forget_unread_counts({recipient_id for recipient_id, *_rest in new})
        if digest.attempts > 1:
            # A retry: what this digest claimed in an earlier attempt is still new (and has its notification).
            new |= set(Reminder.objects.filter(digest=digest).values_list("recipient_id", "kind", "object_key", "due_on"))
    return new


def _claim_reminders_postgresql(*, digest: Digest, items: list[DueItem]) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL_POSTGRESQL,
            {
                "recipients": [item.recipient_id for item in items],
                "kinds": [str(item.kind) for item in items],
                "keys": [item.object_key for item in items],
                "due": [item.due_on for item in items],
                "titles": [str(item.title)[:300] for item in items],
                "urls": [item.url for item in items],
                "shown": [item.shown_on for item in items],
                "digest": digest.pk,
                "now": timezone.now(),
            },
        )
        return {tuple(row) for row in cursor.fetchall()}


def _claim_reminders_portable(*, digest: Digest, items: list[DueItem]) -> set[tuple]:
    Reminder.objects.bulk_create(
        [
            Reminder(recipient_id=item.recipient_id, kind=item.kind, object_key=item.object_key, due_on=item.due_on,
                     digest=digest)
            for item in items
        ],
        batch_size=CLAIM_BATCH_SIZE,
        ignore_conflicts=True,
    )
    # The rows inserted now are this digest's rows without a notification (an earlier attempt's have theirs).
    unannounced = {
        (recipient_id, kind, object_key, due_on): pk
        for pk, recipient_id, kind, object_key, due_on in Reminder.objects.filter(
            digest=digest, notification__isnull=True
        ).values_list("pk", "recipient_id", "kind", "object_key", "due_on")
    }
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=item.recipient_id,
                kind=item.kind,
                title=str(item.title)[:300],
                url=item.url,
                object_key=item.object_key,
                due_on=item.shown_on,
                reminder_id=unannounced[item.claim_key],
            )
            for item in items
            if item.claim_key in unannounced
        ],
        batch_size=CLAIM_BATCH_SIZE,
        ignore_conflicts=True,
    )
    return set(unannounced)


def _lines(items: list[DueItem], new_keys: set[tuple]) -> list[DigestLine]:
    lines = [
        DigestLine(item=item, title=str(item.title), url=absolute_url(item.url), is_new=item.claim_key in new_keys)
        for item in items
    ]
    # New first, then the oldest due first.
    return sorted(lines, key=lambda line: (not line.is_new, line.item.due_on))


def _send_email(*, recipient, day: date, lines: list[DigestLine]) -> None:
    context = {
        "recipient": recipient,
        "day": day,
        "lines": lines,
        "new_count": sum(1 for line in lines if line.is_new),
        "notifications_url": absolute_url(reverse("notifications:list")),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    subject = ngettext("HOM: %(count)s reminder for %(day)s", "HOM: %(count)s reminders for %(day)s", len(lines)) % {
        "count": len(lines),
        "day": day.strftime("%d/%m/%Y"),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(render_to_string("notifications/email/digest.html", context), "text/html")
    message.send()


def digest_send(*, recipient, day: date) -> Digest | None:
    """Send ``recipient``'s digest of ``day`` once. ``None`` when another run has it (or had it).

    Raises DigestEmailFailed after marking the digest failed, for the task to retry it.
    """
    preference = preference_for(recipient)
    with translation.override(preference.language):
        # The claim, one transaction and one commit: the digest's row, then its items (issue 18).
        # A second worker's insert of the same digest waits for this commit, then finds it
        # claimed; a worker killed before the commit leaves nothing, and the task comes back.
        with transaction.atomic():
            digest = _claim_digest(recipient=recipient, day=day)
            if digest is None:
                return None
            items = digest_items(recipient=recipient, day=day, preference=preference)
            new_keys = _claim_reminders(digest=digest, items=items)
            lines = _lines(items, new_keys)
            digest.item_count, digest.new_count = len(lines), sum(1 for line in lines if line.is_new)
            if not lines:
                digest.state = DigestState.EMPTY
                digest.save(update_fields=["state", "item_count", "new_count", "updated_at"])
                return digest
        if preference.email_enabled and recipient.email:
            try:
                _send_email(recipient=recipient, day=day, lines=lines)
            except (SMTPException, OSError) as error:
                digest.state, digest.last_error = DigestState.FAILED, f"{type(error).__name__}: {error}"[:1000]
                digest.save(update_fields=["state", "last_error", "item_count", "new_count", "updated_at"])
                logger.warning("Digest %s of %s failed: %s", day, recipient.pk, error)
                raise DigestEmailFailed(str(error)) from error
    digest.state, digest.sent_at, digest.last_error = DigestState.SENT, timezone.now(), ""
    digest.save(update_fields=["state", "sent_at", "last_error", "item_count", "new_count", "updated_at"])
    return digest


def digest_release(*, recipient, day: date, error: str) -> bool:
    """Give up a claim this run cannot finish (its soft time limit struck mid-send): the digest is
    marked failed, so the retry takes it at once instead of waiting for the lease."""
    with transaction.atomic():
        released = Digest.objects.filter(recipient=recipient, day=day, state=DigestState.CLAIMED).update(
            state=DigestState.FAILED, last_error=error[:1000], updated_at=timezone.now()
        )
    return bool(released)


def digests_stale(*, now=None, max_age_days: int = STALE_DIGEST_MAX_AGE_DAYS) -> list[tuple[int, date]]:
    """``(recipient_id, day)`` of the digests still "claimed" past their lease: their worker died or
    their SMTP server hung. Recent days only: last week's digest is not worth sending."""
    now = now or timezone.now()
    return list(
        Digest.objects.filter(
            state=DigestState.CLAIMED,
            claimed_at__lt=now - CLAIM_LEASE,
            day__gte=timezone.localdate(now) - timedelta(days=max_age_days),
        )
        .order_by("day", "recipient_id")
        .values_list("recipient_id", "day")
    )


def digest_preview(*, recipient, day: date) -> list[DigestLine]:
    """What ``digest_send`` would show ``recipient`` on ``day``, writing nothing (``--dry-run``)."""
    preference = preference_for(recipient)
    with translation.override(preference.language):
        items = digest_items(recipient=recipient, day=day, preference=preference)
        announced = set(
            Reminder.objects.filter(recipient=recipient, due_on__lte=day).values_list(
                "recipient_id", "kind", "object_key", "due_on"
            )
        )
        return _lines(items, {item.claim_key for item in items} - announced)


def notification_record(*, recipient, kind: str, object_key: str, title: str, url: str = "") -> tuple[Notification, bool]:
    """Tell ``recipient`` of an event (not a reminder) once: ``(notification, created)``.

    The same recipient and key again (a task run twice, two workers at once) returns the
    existing notification: a unique constraint settles races, in a savepoint.
    """
    try:
        with transaction.atomic():
            notification = Notification(recipient=recipient, kind=kind, object_key=object_key, title=title[:300], url=url)
            notification.full_clean(validate_constraints=False)  # the database settles uniqueness
            notification.save()
            return notification, True
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, object_key=object_key, reminder__isnull=True), False


@transaction.atomic
def notification_mark_emailed(*, notification: Notification) -> Notification:
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return notification


@transaction.atomic
def notifications_mark_read_by_keys(*, user, object_keys) -> int:
    """Mark read what ``user`` was told about these objects (e.g. on opening the page they concern)."""
    marked = Notification.objects.visible_to(user).unread().filter(object_key__in=list(object_keys)).update(
        read_at=timezone.now()
    )
    if marked:
        forget_unread_counts([user.pk])
    return marked


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    marked = Notification.objects.visible_to(user).unread().update(read_at=timezone.now())
    if marked:
        forget_unread_counts([user.pk])
    return marked


@transaction.atomic
def preference_update(*, recipient, kinds: list[str], email_enabled: bool, language: str) -> NotificationPreference:
    preference = preference_for(recipient)
    preference.kinds, preference.email_enabled, preference.language = sorted(kinds), email_enabled, language
    preference.full_clean()
    preference.save()
    return preference
