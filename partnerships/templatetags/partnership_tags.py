"""Template tags for other apps' pages: a person's introductions, a partner's conventions."""
from django import template

from partnerships import selectors

register = template.Library()


@register.simple_tag
def migrant_introductions(migrant, user):
    return list(selectors.introductions_of_migrant(user, migrant))


@register.inclusion_tag("partnerships/conventions/_partner_card.html", takes_context=True)
def partner_conventions_card(context):
    """The partner's home page: their conventions and the reports their organisations owe."""
    from django.utils import timezone

    from partnerships.conventions.selectors import conventions_of_partner

    return {"conventions": conventions_of_partner(context["request"].user), "today": timezone.localdate()}
