"""Template tags other apps' pages use to show a piece of the registry (the staff dashboard)."""
from django import template

from migrants.selectors import follow_ups_open

register = template.Library()


@register.inclusion_tag("migrants/_dashboard_follow_ups.html", takes_context=True)
def open_follow_ups(context, limit=10):
    return {"visits": follow_ups_open(context["request"].user, limit=limit)}
