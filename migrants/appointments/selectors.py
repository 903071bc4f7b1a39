"""Reads of appointments: the advisor's day, the open slots a person may book, a person's bookings."""
from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hom.accounts.access import get_visible_or_404

from .models import ACTIVE_STATES, Booking, Slot


def _active_bookings() -> Prefetch:
    return Prefetch("bookings", to_attr="active_bookings", queryset=Booking.objects.filter(
        state__in=ACTIVE_STATES).select_related("migrant", "visit"))


def advisor_day(user, day) -> list[Slot]:
    """The user's slots of ``day`` (cancelled ones too), each with its active booking (``slot.booking``)."""
    slots = list(
        Slot.objects.visible_to(user).filter(advisor=user, starts_at__date=day)
        .select_related("office").prefetch_related(_active_bookings()).order_by("starts_at", "pk")
    )
    for slot in slots:
        slot.booking = slot.active_bookings[0] if slot.active_bookings else None
    return slots


def open_slots(office_id, *, now=None, limit: int = 200) -> QuerySet:
    return (Slot.objects.filter(office_id=office_id).open(now or timezone.now())
            .select_related("office", "advisor").order_by("starts_at", "pk")[:limit])


def open_slots_by_day(office_id, *, now=None) -> list[tuple]:
    """The office's open future slots grouped by local day: [(day, [slots])]."""
    slots = list(open_slots(office_id, now=now))
    return [(day, list(group)) for day, group in groupby(slots, key=lambda slot: timezone.localdate(slot.starts_at))]


def bookings_of_person(migrant, *, upcoming_only: bool = False, limit: int = 50) -> list[Booking]:
    queryset = Booking.objects.filter(migrant=migrant).select_related("slot__office", "slot__advisor", "visit")
    if upcoming_only:
        queryset = queryset.filter(slot__starts_at__gt=timezone.now(), state__in=ACTIVE_STATES)
    return list(queryset.order_by("-slot__starts_at", "-pk")[:limit])


def slot_for_staff(user, pk) -> Slot:
    return get_visible_or_404(Slot.objects.all(), user, pk=pk)


def booking_for(user, pk) -> Booking:
    """A booking its person or the slot's office staff may act on; anyone else gets 404."""
    return get_visible_or_404(Booking.objects.select_related("slot", "migrant"), user, pk=pk)


def slot_of_office(migrant, pk) -> Slot:
    """A slot of the person's office (booked or not: the service says why it cannot be booked); else 404."""
    return get_object_or_404(Slot.objects.filter(office_id=migrant.office_id), pk=pk)
