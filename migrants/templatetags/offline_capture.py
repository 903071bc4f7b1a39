"""``{% outbox_status %}``: the device's outbox (counter, refusals, registrations to review), for staff
who may use pages without a network (docs/offline.md)."""
from django import template

from hom.pwa.selectors import offline_pages_for

register = template.Library()


@register.inclusion_tag("migrants/offline/_outbox.html", takes_context=True)
def outbox_status(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": bool(user is not None and offline_pages_for(user))}
