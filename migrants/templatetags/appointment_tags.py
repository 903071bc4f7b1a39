"""Template tag for the person's page: the person's appointments (``appointments/_migrant_appointments.html``)."""
from django import template

from migrants.appointments import selectors

register = template.Library()


@register.simple_tag
def migrant_appointments(migrant):
    if not getattr(migrant, "has_appointments", True):  # read with the person (``migrant_page_exists``)
        return []
    return selectors.bookings_of_person(migrant, limit=10)
