"""Demo transfer (``seed_demo``): a person of Sédhiou moved to Kolda by the Sédhiou admin (issue 24, part 6)."""
from django.contrib.auth import get_user_model

from ..models import Migrant
from .models import Transfer
from .services import transfer_make

REASON = "S'installe à Kolda chez sa famille"


def seed(sedhiou_office, kolda_office) -> None:
    """Idempotent: once a transfer exists, nothing more."""
    if Transfer.objects.exists():
        return
    admin = get_user_model().objects.filter(email="admin@demo.hom").first()
    person = (Migrant.objects.filter(office=sedhiou_office, user__isnull=True, erased_at__isnull=True, dossiers=None)
              .order_by("-pk").first())
    if admin is None or person is None:
        return
    transfer_make(migrant=person, to_office=kolda_office, made_by=admin, reason=REASON)
