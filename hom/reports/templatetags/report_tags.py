"""Dashboard cards of the reports: the office's indicators for staff, the communes' reports for authorities.
The tags only render: the reads are selectors."""
from django import template

from ..scope import territories_for
from ..selectors.dashboard import office_indicators as office_indicators_of

register = template.Library()


@register.inclusion_tag("reports/_dashboard_office.html", takes_context=True)
def office_indicators(context):
    return office_indicators_of(context["request"].user)


@register.inclusion_tag("reports/_dashboard_communes.html", takes_context=True)
def commune_reports(context):
    return {"territories": territories_for(context["request"].user)}
