"""Reads for the dashboards. Later apps add their own counts through their selectors."""
from .models import Office


def offices_visible_to(user):
    if user.is_superuser:
        return Office.objects.select_related("region")
    return Office.objects.filter(pk=user.office_id).select_related("region")
