"""Template tags other apps' pages use to show a piece of the registry (the staff dashboard)."""
from django import template

from migrants import workflows
from migrants.selectors import follow_ups_open

register = template.Library()


@register.inclusion_tag("migrants/_dashboard_follow_ups.html", takes_context=True)
def open_follow_ups(context, limit=10):
    return {"visits": follow_ups_open(context["request"].user, limit=limit)}


# --- Where an import stands (``migrants.workflows``) --------------------------------------


@register.filter
def import_is_ready(status) -> bool:
    return workflows.import_is_ready(status)


@register.filter
def import_in_progress(status) -> bool:
    return workflows.import_in_progress(status)


@register.filter
def import_is_done(status) -> bool:
    return workflows.import_is_done(status)


@register.filter
def import_has_failed(status) -> bool:
    return workflows.import_has_failed(status)
