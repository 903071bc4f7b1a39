"""The bell's unread count, cached per person for a minute and forgotten on every change (issue 18).

Every page shows the bell: its count is read from the cache (``UNREAD_COUNT_SECONDS``), not
counted on each page. Whatever changes a person's notifications forgets their count:

- a notification saved or deleted (one by one, by a cascade, or by a queryset's ``delete()``,
  which sends ``post_delete`` for each row because a receiver listens): the receivers below;
- a queryset's ``update()`` (marking read in bulk), which sends no signal: the services call
  :func:`forget_unread_counts` themselves.

The count is forgotten at once (the same request sees the new count) and again once the
transaction commits, so that a page counting meanwhile, before the commit, cannot keep the old
number in the cache.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Notification

UNREAD_COUNT_SECONDS = 60


def cache_key(user_id) -> str:
    return f"hom.notifications.unread:{user_id}"


def unread_count_cached(user, count) -> int:
    """The cached count of ``user``, or ``count()`` (then cached)."""
    key = cache_key(user.pk)
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, UNREAD_COUNT_SECONDS)
    return value


def forget_unread_counts(user_ids) -> None:
    keys = [cache_key(user_id) for user_id in set(user_ids) if user_id is not None]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(post_save, sender=Notification, dispatch_uid="hom.notifications.counts.saved")
@receiver(post_delete, sender=Notification, dispatch_uid="hom.notifications.counts.deleted")
def _notification_changed(sender, instance, **kwargs):
    forget_unread_counts([instance.recipient_id])
