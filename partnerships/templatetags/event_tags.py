"""Template tag for the person's page: the events a person takes part in (``_migrant_events.html``)."""
from django import template

from partnerships.events import selectors as meeting_selectors

register = template.Library()


@register.simple_tag
def migrant_events(migrant, user):
    if not getattr(migrant, "has_event_participations", True):  # read with the person (``migrant_page_exists``)
        return []
    return meeting_selectors.migrant_events(user, migrant)
