"""Writes on notifications: the daily digest (claimed, then sent once), marking read, preferences.

``digest_send`` is the one service behind the beat task, its retries and the
``send_reminders`` command. It is deliberately *not* one transaction: each claim commits
on its own before the email goes out, so that a second worker (or a retry, or a worker
that died mid-run) sees what was already claimed. Each write inside it is atomic.
"""
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
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


def _claim_reminders(*, digest: Digest, items: list[DueItem]) -> set[tuple]:
    """Insert a ledger row per item; those inserted now (or by this digest before) are new."""
    new = set()
    for item in items:
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    recipient_id=item.recipient_id,
                    kind=item.kind,
                    object_key=item.object_key,
                    due_on=item.due_on,
                    digest=digest,
                )
                Notification.objects.create(
                    recipient_id=item.recipient_id,
                    kind=item.kind,
                    title=str(item.title)[:300],
                    url=item.url,
                    object_key=item.object_key,
                    due_on=item.shown_on,
                    reminder=reminder,
                )
        except IntegrityError:
            continue  # announced before: shown again, not as new
        new.add(item.claim_key)
    earlier = Reminder.objects.filter(digest=digest).values_list("recipient_id", "kind", "object_key", "due_on")
    return new | set(earlier)


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
    digest = _claim_digest(recipient=recipient, day=day)
    if digest is None:
        return None
    preference = preference_for(recipient)
    with translation.override(preference.language):
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
