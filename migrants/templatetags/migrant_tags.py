"""Template tags other apps' pages use to show a piece of the registry (the staff dashboard)."""
from django import template

from hom.imports import status as import_status
from migrants.selectors import follow_ups_open
from migrants.services import visit_may_correct

register = template.Library()


@register.inclusion_tag("migrants/_dashboard_follow_ups.html", takes_context=True)
def open_follow_ups(context, limit=10):
    return {"visits": follow_ups_open(context["request"].user, limit=limit)}


# --- Where an import stands (``hom.imports.status``) -------------------------------------


@register.filter
def import_is_ready(status) -> bool:
    return import_status.is_ready(status)


@register.filter
def import_in_progress(status) -> bool:
    return import_status.in_progress(status)


@register.filter
def import_is_done(status) -> bool:
    return import_status.is_done(status)


@register.filter
def import_has_failed(status) -> bool:
    return import_status.has_failed(status)


# --- Who may correct a visit (``migrants.services.visit_may_correct``: the one rule) ---------


@register.filter
def may_correct(visit, user) -> bool:
    return visit_may_correct(user, visit)
