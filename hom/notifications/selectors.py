"""Reads on notifications: a person's own list and unread count."""
from .models import Notification


def notifications_of(user):
    return Notification.objects.visible_to(user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).unread().count()
