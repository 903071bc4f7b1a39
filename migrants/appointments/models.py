"""Appointments (issue 24, part 4; imported by migrants.models): an advisor's time slots and their bookings.

An advisor publishes slots (at the office, at a place, by phone); a migrant books one online, or staff
book one for a person from the person's page. A slot has at most one active booking (a unique
constraint, and a row lock in the booking service); an attended appointment becomes a visit in one
click, marked on the booking so that it is done once. See docs/appointments.md.
"""
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import Role


class SlotKind(models.TextChoices):
    OFFICE = "office", _("At the office")
    PLACE = "place", _("At a place")
    PHONE = "phone", _("By phone")


class BookingState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", pgettext_lazy("appointment", "Cancelled")


# The states that hold the slot: a cancelled booking frees it for someone else.
ACTIVE_STATES = (BookingState.BOOKED, BookingState.ATTENDED, BookingState.NO_SHOW)


class SlotQuerySet(OfficeScopedQuerySet):
    """Staff see their office's slots; a national admin all; others none (migrants read the open ones
    of their office through ``selectors.open_slots_for``)."""

    def open(self, now):
        return self.filter(cancelled_at__isnull=True, starts_at__gt=now).exclude(
            bookings__state__in=ACTIVE_STATES)


class Slot(models.Model):
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="appointment_slots",
                               verbose_name=_("office"))
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointment_slots",
                                verbose_name=_("advisor"))
    kind = models.CharField(_("kind"), max_length=10, choices=SlotKind.choices, default=SlotKind.OFFICE)
    starts_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)])
    place = models.CharField(_("place"), max_length=160, blank=True,
                             help_text=_("Where to meet (for an appointment at a place), or a note."))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("cancelled by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SlotQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        indexes = [
            models.Index(fields=["office", "starts_at"], name="slot_office_start_idx"),
            models.Index(fields=["advisor", "starts_at"], name="slot_advisor_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                                   name="slot_duration_range"),
        ]

    def __str__(self):
        return f"{self.office_id} {self.starts_at:%Y-%m-%d %H:%M} ({self.kind})"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class BookingQuerySet(OfficeScopedQuerySet):
    office_lookup = "slot__office"

    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.role == Role.MIGRANT and not user.is_superuser:
            return self.filter(migrant__user=user)
        return super().visible_to(user)


class Booking(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("slot"))
    migrant = models.ForeignKey("migrants.Migrant", on_delete=models.CASCADE, related_name="appointment_bookings",
                                verbose_name=_("person"))
    state = models.CharField(_("state"), max_length=10, choices=BookingState.choices, default=BookingState.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("booked by"))
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The visit the attended appointment became (once: the booking is then "attended").
    visit = models.OneToOneField("migrants.Visit", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="appointment", verbose_name=_("visit"))

    objects = BookingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=Q(state__in=["booked", "attended", "no_show"]),
                                    name="appointment_one_active_booking_per_slot",
                                    violation_error_message=_("This slot is already booked.")),
        ]
        indexes = [models.Index(fields=["migrant", "state"], name="booking_migrant_state_idx")]

    def __str__(self):
        return f"{self.slot_id} {self.migrant_id} ({self.state})"
