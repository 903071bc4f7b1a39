"""Reads of the person's notices: their choice and the messages sent to them."""
from hom.messaging.selectors import messages_for_person

from .models import ContactChoice
from .services import person_key

# The person's page lists the latest messages only.
MESSAGES_SHOWN = 20


def contact_choice_of(migrant) -> ContactChoice | None:
    """The person's choice (read with the record when the page's query joined it), None when none."""
    try:
        return migrant.contact_choice
    except ContactChoice.DoesNotExist:
        return None


def person_messages(migrant, *, limit: int = MESSAGES_SHOWN) -> list:
    """The SMS and WhatsApp messages sent to the person, newest first (one query)."""
    return list(messages_for_person(person_key(migrant))[:limit])
