"""Writes of appointments: publish and cancel a slot, book, cancel a booking, no-show, turn into a visit, remind.

No double booking: ``booking_make`` locks the slot's row (``select_for_update``) before it looks for an
active booking, and the unique constraint on a slot's active booking refuses the second whatever the path.
The person is told on their channels (``migrants.notices.notice_send``): the booking's confirmation and a
cancelled slot through the outbox (tasks in ``migrants.tasks``), the day-before reminder by a beat task,
each exactly once by its key.
"""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hom.accounts.models import STAFF_ROLES
from hom.notifications.models import APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_REMINDER
from hom.outbox.services import outbox_enqueue

from ..models import Migrant, Visit, VisitChannel
from ..notices.services import notice_send
from .models import ACTIVE_STATES, Booking, BookingState, Slot, SlotKind

# The visit an attended appointment becomes: its channel follows the slot's kind.
VISIT_CHANNEL = {SlotKind.OFFICE: VisitChannel.OFFICE, SlotKind.PLACE: VisitChannel.HOME_VISIT,
                 SlotKind.PHONE: VisitChannel.PHONE}


def _taken_message() -> str:
    return _("This slot was just taken by someone else: choose another one.")


@transaction.atomic
def slot_publish(*, advisor, kind: str, starts_at, duration_minutes: int, place: str = "") -> Slot:
    """An advisor opens a time for appointments, in the future, not overlapping one of their open slots."""
    place = place.strip()
    errors = {}
    if advisor.office_id is None:
        raise ValidationError(_("Only the staff of an office publish appointment slots."))
    if starts_at <= timezone.now():
        errors["starts_at"] = _("Choose a time in the future.")
    if kind == SlotKind.PLACE and not place:
        errors["place"] = _("Say where the appointment takes place.")
    if not 5 <= (duration_minutes or 0) <= 480:
        errors["duration_minutes"] = _("A slot lasts from 5 minutes to 8 hours.")
    if errors:
        raise ValidationError(errors)
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    overlapping = Slot.objects.filter(advisor=advisor, cancelled_at__isnull=True, starts_at__lt=ends_at,
                                      starts_at__gt=starts_at - timedelta(minutes=480))
    if any(slot.ends_at > starts_at for slot in overlapping):
        raise ValidationError({"starts_at": _("You already have a slot at that time.")})
    slot = Slot(office_id=advisor.office_id, advisor=advisor, kind=kind, starts_at=starts_at,
                duration_minutes=duration_minutes, place=place)
    slot._history_user = advisor
    slot.full_clean()
    slot.save()
    return slot


def _check_bookable(slot: Slot, migrant: Migrant) -> None:
    if migrant.erased_at is not None:
        raise ValidationError(_("An erased record cannot book an appointment."))
    if slot.office_id != migrant.office_id:
        raise ValidationError(_("This slot is not one of the person's office."))
    if slot.cancelled_at is not None:
        raise ValidationError(_("This slot was cancelled: choose another one."))
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This slot has already started: choose another one."))


@transaction.atomic
def booking_make(*, slot: Slot, migrant: Migrant, booked_by) -> Booking:
    """Book ``slot`` for ``migrant`` (the person themselves, or staff of the office for them)."""
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    _check_bookable(slot, migrant)
    if Booking.objects.filter(slot=slot, state__in=ACTIVE_STATES).exists():
        raise ValidationError(_taken_message())
    booking = Booking(slot=slot, migrant=migrant, booked_by=booked_by)
    booking._history_user = booked_by
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise ValidationError(_taken_message()) from None
    outbox_enqueue(task="migrants.tasks.appointment_booked_notify", args=[booking.pk])
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, cancelled_by) -> Booking:
    """The person (or staff) cancels a booking, until the appointment starts; the slot is open again."""
    booking = Booking.objects.select_for_update().select_related("slot", "migrant").get(pk=booking.pk)
    if booking.state != BookingState.BOOKED:
        raise ValidationError(_("This appointment can no longer be cancelled."))
    if booking.slot.starts_at <= timezone.now():
        raise ValidationError(_("The appointment has started: it can no longer be cancelled."))
    booking.state = BookingState.CANCELLED
    booking.cancelled_at = timezone.now()
    booking._history_user = cancelled_by
    booking.save(update_fields=["state", "cancelled_at"])
    if cancelled_by is None or cancelled_by.pk != booking.migrant.user_id:
        # Cancelled by the office: the person is told (not when they did it themselves).
        outbox_enqueue(task="migrants.tasks.appointment_cancelled_notify", args=[booking.pk])
    return booking


def _staff_of(slot: Slot, user) -> None:
    if not (user.is_superuser or (user.role in STAFF_ROLES and user.office_id == slot.office_id)):
        raise ValidationError(_("Only the staff of the slot's office may do this."))


@transaction.atomic
def slot_cancel(*, slot: Slot, cancelled_by) -> Slot:
    """Staff cancel a slot; its booking, if any, is cancelled and the person is told."""
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    _staff_of(slot, cancelled_by)
    if slot.cancelled_at is not None:
        return slot
    if slot.bookings.filter(state__in=(BookingState.ATTENDED, BookingState.NO_SHOW)).exists():
        raise ValidationError(_("This appointment already took place: it cannot be cancelled."))
    slot.cancelled_at = timezone.now()
    slot.cancelled_by = cancelled_by
    slot._history_user = cancelled_by
    slot.save(update_fields=["cancelled_at", "cancelled_by"])
    for booking in Booking.objects.select_for_update().filter(slot=slot, state=BookingState.BOOKED):
        booking.state = BookingState.CANCELLED
        booking.cancelled_at = slot.cancelled_at
        booking._history_user = cancelled_by
        booking.save(update_fields=["state", "cancelled_at"])
        outbox_enqueue(task="migrants.tasks.appointment_cancelled_notify", args=[booking.pk])
    return slot


def _locked_booking(booking: Booking, user) -> Booking:
    booking = Booking.objects.select_for_update().select_related("slot", "migrant").get(pk=booking.pk)
    _staff_of(booking.slot, user)
    return booking


@transaction.atomic
def booking_no_show(*, booking: Booking, marked_by) -> Booking:
    """The person did not come: said once the appointment has started."""
    booking = _locked_booking(booking, marked_by)
    if booking.state != BookingState.BOOKED:
        raise ValidationError(_("This appointment was already marked."))
    if booking.slot.starts_at > timezone.now():
        raise ValidationError(_("The appointment has not started yet."))
    booking.state = BookingState.NO_SHOW
    booking._history_user = marked_by
    booking.save(update_fields=["state"])
    return booking


@transaction.atomic
def booking_to_visit(*, booking: Booking, recorded_by):
    """The attended appointment becomes a visit of the person with the slot's advisor, once."""
    from ..services import visit_record

    booking = _locked_booking(booking, recorded_by)
    if booking.visit_id is not None or booking.state == BookingState.ATTENDED:
        raise ValidationError(_("This appointment is already recorded as a visit."))
    if booking.state != BookingState.BOOKED:
        raise ValidationError(_("Only a booked appointment can become a visit."))
    slot = booking.slot
    if slot.starts_at > timezone.now():
        raise ValidationError(_("The appointment has not started yet."))
    visit = visit_record(
        migrant=booking.migrant, advisor=slot.advisor, channel=VISIT_CHANNEL[slot.kind], occurred_at=slot.starts_at,
        place=slot.place[:120] if slot.kind == SlotKind.PLACE else "",
    )
    # The visit is the slot's advisor's; who recorded it is who clicked.
    Visit.history.filter(id=visit.pk).update(history_user_id=recorded_by.pk)
    booking.visit = visit
    booking.state = BookingState.ATTENDED
    booking._history_user = recorded_by
    booking.save(update_fields=["visit", "state"])
    return visit


# --- Notices ---------------------------------------------------------------------------------


def _values(slot: Slot) -> dict:
    when = timezone.localtime(slot.starts_at)
    where = {SlotKind.OFFICE: slot.office.name, SlotKind.PHONE: _("by phone"),
             SlotKind.PLACE: slot.place}[slot.kind]
    return {"date": date_format(when, "SHORT_DATE_FORMAT"), "time": date_format(when, "TIME_FORMAT"),
            "where": where}


def notice_send_for_booking(*, booking: Booking) -> list:
    """Confirm the booking to the person. Safe to run twice."""
    slot = booking.slot
    return notice_send(
        migrant=booking.migrant, kind=APPOINTMENT_BOOKED, key=f"migrants.appointment:{booking.pk}",
        text=lambda: _("Your appointment is booked: %(date)s at %(time)s, %(where)s.") % _values(slot),
        path=reverse("appointments:book"), subject=lambda: _("HOM: your appointment is booked"),
    )


def notice_send_for_cancelled_slot(*, booking: Booking) -> list:
    """Tell the person the office cancelled their appointment. Safe to run twice."""
    slot = booking.slot
    return notice_send(
        migrant=booking.migrant, kind=APPOINTMENT_CANCELLED, key=f"migrants.appointment-cancelled:{booking.pk}",
        text=lambda: _("The office cancelled your appointment of %(date)s at %(time)s: book another time.")
        % _values(slot),
        path=reverse("appointments:book"), subject=lambda: _("HOM: your appointment is cancelled"),
    )


def appointment_reminders_send(*, day=None) -> int:
    """The day before, remind each booked appointment to its person (once per booking, by key).

    ``day``: the day the reminders are sent (today by default); the appointments of the next day
    are reminded. Returns the number of bookings reminded now or before.
    """
    tomorrow = (day or timezone.localdate()) + timedelta(days=1)
    bookings = (
        Booking.objects.filter(state=BookingState.BOOKED, slot__cancelled_at__isnull=True,
                               slot__starts_at__date=tomorrow, migrant__erased_at__isnull=True)
        .select_related("slot__office", "migrant__user", "migrant__office", "migrant__contact_choice")
        .order_by("pk")
    )
    count = 0
    for booking in bookings:
        slot = booking.slot
        with transaction.atomic():
            notice_send(
                migrant=booking.migrant, kind=APPOINTMENT_REMINDER, key=f"migrants.appointment-reminder:{booking.pk}",
                text=lambda slot=slot: _("Reminder: your appointment is tomorrow, %(date)s at %(time)s, %(where)s.")
                % _values(slot),
                path=reverse("appointments:book"), subject=lambda: _("HOM: your appointment is tomorrow"),
            )
        count += 1
    return count


def appointments_on_transfer(*, migrant, from_office, to_office) -> int:
    """Transfer hook: the person's future appointments at the old office are cancelled (the slot opens again)."""
    now = timezone.now()
    for booking in Booking.objects.select_for_update().filter(migrant=migrant, state=BookingState.BOOKED,
                                                              slot__office=from_office, slot__starts_at__gt=now):
        booking.state = BookingState.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["state", "cancelled_at"])
    return 0
