"""Template tags for other apps' pages: a person's introductions (the migrant page's section)."""
from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def migrant_introductions(migrant, user):
    return list(selectors.introductions_of_migrant(user, migrant))
