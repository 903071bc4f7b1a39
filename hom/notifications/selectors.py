"""Reads on notifications: a person's own list and unread count."""
from .counts import unread_count_cached
from .models import Notification


def notifications_of(user):
    return Notification.objects.visible_to(user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """The bell's number: cached for a minute, forgotten whenever the person's notifications change."""
    if not user.is_authenticated or not user.is_active:
        return 0
    return unread_count_cached(user, Notification.objects.visible_to(user).unread().count)
