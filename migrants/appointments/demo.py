"""Demo appointments (``seed_demo``): ``conseiller@demo.hom`` has open slots in the coming days and
``migrant@demo.hom`` (Ousmane Diédhiou) booked one (issue 24, part 4)."""
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..models import Migrant
from .models import Slot, SlotKind
from .services import booking_make, slot_publish

# (day from tomorrow, hour, minute, kind, place)
SLOTS = (
    (1, 9, 0, SlotKind.OFFICE, ""),
    (1, 9, 30, SlotKind.OFFICE, ""),
    (1, 15, 0, SlotKind.PHONE, ""),
    (2, 10, 0, SlotKind.PLACE, "Maison des jeunes de Marsassoum"),
    (3, 9, 0, SlotKind.OFFICE, ""),
    (3, 11, 0, SlotKind.PHONE, ""),
    (4, 10, 30, SlotKind.OFFICE, ""),
)


def seed(sedhiou_office) -> None:
    """Idempotent: once the advisor has a slot, nothing more."""
    advisor = get_user_model().objects.filter(email="conseiller@demo.hom", office=sedhiou_office).first()
    if advisor is None or Slot.objects.filter(advisor=advisor).exists():
        return
    today = timezone.localdate()
    slots = [
        slot_publish(advisor=advisor, kind=kind, duration_minutes=30, place=place, starts_at=timezone.make_aware(
            datetime.combine(today + timedelta(days=day), time(hour, minute))))
        for day, hour, minute, kind, place in SLOTS
    ]
    person = Migrant.objects.filter(user__email="migrant@demo.hom", office=sedhiou_office).select_related("user").first()
    if person is not None:
        booking_make(slot=slots[1], migrant=person, booked_by=person.user)
