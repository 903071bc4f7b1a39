"""The bell of the navbar: one COUNT query per page, for logged-in users only."""
from django import template

from ..selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": unread_count(user)}


@register.inclusion_tag("notifications/_due_today.html", takes_context=True)
def due_today(context, limit: int = 8):
    """The person's items due today or overdue, live from the same providers as the morning digest."""
    from django.utils import timezone

    from ..due import due_items

    user = context["request"].user
    today = timezone.localdate()
    items = due_items(today=today, recipient=user)
    return {"items": items[:limit], "more": max(len(items) - limit, 0), "total": len(items), "today": today}
