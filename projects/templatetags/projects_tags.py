"""Template helpers of the dossiers: status colours, days waiting, the migrant's dashboard card."""
from django import template
from django.utils import timezone

from projects.models import DossierStatus, ProjectDossier

register = template.Library()

STATUS_COLOURS = {
    DossierStatus.DRAFT: "secondary",
    DossierStatus.SUBMITTED: "primary",
    DossierStatus.IN_REVIEW: "info",
    DossierStatus.CHANGES_REQUESTED: "warning",
    DossierStatus.READY: "success",
    DossierStatus.SENT_TO_FUNDER: "primary",
    DossierStatus.FUNDED: "success",
    DossierStatus.NOT_FUNDED: "danger",
    DossierStatus.IN_IMPLEMENTATION: "success",
    DossierStatus.CLOSED: "dark",
    DossierStatus.WITHDRAWN: "light",
}


@register.filter
def status_colour(status) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def days_since(moment) -> int | str:
    if not moment:
        return ""
    return (timezone.localdate() - timezone.localtime(moment).date()).days


@register.inclusion_tag("projects/my_projects_card.html", takes_context=True)
def my_projects_card(context):
    user = context["user"]
    # What the office told them of their dossiers' moves is under the bell (hom.notifications).
    return {"dossiers": ProjectDossier.objects.visible_to(user).order_by("-updated_at")[:5]}
