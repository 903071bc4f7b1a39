"""The notices' part of the registry of personal data (``migrants.personal_data``), called by migrants' own functions."""
from django.utils import timezone

from .models import ContactChoice, NoticeSent, PhoneCode


def export_person(*, migrant) -> dict:
    choice = ContactChoice.objects.filter(migrant=migrant).first()
    if choice is None:
        return {}
    return {
        "channels": [str(label) for label in choice.channel_labels()],
        "consent_on": choice.consent_on.isoformat() if choice.consent_on else None,
        "phone_verified": choice.phone_verified,
        "phone_verified_at": timezone.localtime(choice.phone_verified_at).isoformat() if choice.phone_verified_at else None,
    }


def erase_person(*, migrant) -> None:
    """Choices, codes and the ledger of notices go, with the history of the choices and codes."""
    ContactChoice.objects.filter(migrant=migrant).delete()
    PhoneCode.objects.filter(migrant=migrant).delete()
    NoticeSent.objects.filter(migrant=migrant).delete()
    # After the deletions, which write their own history rows.
    ContactChoice.history.model.objects.filter(migrant_id=migrant.pk).delete()
    PhoneCode.history.model.objects.filter(migrant_id=migrant.pk).delete()


def merge_persons(*, survivor, duplicate) -> None:
    """One choice per person: the survivor's stays; the duplicate's moves only when the survivor has none."""
    if ContactChoice.objects.filter(migrant=survivor).exists():
        ContactChoice.objects.filter(migrant=duplicate).delete()
    ContactChoice.history.model.objects.filter(migrant_id=duplicate.pk).update(migrant_id=survivor.pk)
    PhoneCode.history.model.objects.filter(migrant_id=duplicate.pk).update(migrant_id=survivor.pk)
