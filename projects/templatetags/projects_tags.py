"""Template helpers of the dossiers: status colours (from ``workflows``), days waiting, the migrant's dashboard card."""
from django import template
from django.utils import timezone

from projects import workflows
from projects.selectors import dossiers_recent

register = template.Library()


@register.filter
def status_colour(status) -> str:
    """The colour of a dossier status's badge (``workflows.DOSSIER_STATUS_COLOURS``)."""
    return workflows.dossier_status_colour(status)


@register.filter
def funding_status_colour(status) -> str:
    """The colour of a funding programme status's badge."""
    return workflows.funding_status_colour(status)


@register.filter
def days_since(moment) -> int | str:
    if not moment:
        return ""
    return (timezone.localdate() - timezone.localtime(moment).date()).days


@register.inclusion_tag("projects/my_projects_card.html", takes_context=True)
def my_projects_card(context):
    user = context["user"]
    # What the office told them of their dossiers' moves is under the bell (hom.notifications).
    return {"dossiers": dossiers_recent(user, limit=5)}
