"""Pages of appointments (docs/appointments.md): the advisor's day, publishing and cancelling slots, the
migrant's booking page, staff booking for a person, cancel, no-show, turn into a visit."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error
from hom.http import safe_next_url

from .. import selectors as registry_selectors
from . import selectors, services
from .forms import DayForm, SlotForm
from .models import BookingState


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _day_url(day) -> str:
    return f"{reverse('appointments:day')}?day={day:%Y-%m-%d}"


@role_required(*STAFF_ROLES)
@require_GET
def day_view(request):
    form = DayForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["day"]:
        day = form.cleaned_data["day"]
    elif not form.is_bound:
        form = DayForm(initial={"day": day})
    return render(request, "migrants/appointments/day.html", {
        "form": form, "day": day, "slots": selectors.advisor_day(request.user, day), "now": timezone.now(),
        "states": BookingState,
    })


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def slot_create(request):
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slot = services.slot_publish(advisor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The slot is published."))
            return redirect(_day_url(timezone.localdate(slot.starts_at)))
    return render(request, "migrants/appointments/slot_form.html", {"form": form})


@role_required(*STAFF_ROLES)
@require_POST
def slot_cancel(request, pk):
    slot = selectors.slot_for_staff(request.user, pk)
    try:
        services.slot_cancel(slot=slot, cancelled_by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The slot is cancelled; a person who had booked it is told."))
    return redirect(_day_url(timezone.localdate(slot.starts_at)))


@role_required(Role.MIGRANT)
@require_http_methods(["GET", "POST"])
def book(request):
    migrant = registry_selectors.own_record(request.user)
    if migrant is None or migrant.is_erased:
        return render(request, "migrants/appointments/book.html", {"migrant": None})
    if request.method == "POST":
        slot = selectors.slot_of_office(migrant, _int(request.POST.get("slot")))
        try:
            services.booking_make(slot=slot, migrant=migrant, booked_by=request.user)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Your appointment is booked. You will get a reminder the day before."))
        return redirect("appointments:book")
    return render(request, "migrants/appointments/book.html", {
        "migrant": migrant, "days": selectors.open_slots_by_day(migrant.office_id),
        "bookings": selectors.bookings_of_person(migrant, upcoming_only=True),
    })


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def book_for_person(request, pk):
    migrant = registry_selectors.migrant_for_page(request.user, pk)
    if request.method == "POST":
        slot = selectors.slot_of_office(migrant, _int(request.POST.get("slot")))
        try:
            services.booking_make(slot=slot, migrant=migrant, booked_by=request.user)
        except ValidationError as error:
            _error(request, error)
            return redirect("appointments:book_for_person", pk=migrant.pk)
        messages.success(request, _("The appointment is booked; the person is told."))
        return redirect(migrant.get_absolute_url())
    return render(request, "migrants/appointments/book_for.html", {
        "migrant": migrant, "days": [] if migrant.is_erased else selectors.open_slots_by_day(migrant.office_id),
    })


@role_required(Role.MIGRANT, *STAFF_ROLES)
@require_POST
def booking_cancel(request, pk):
    booking = selectors.booking_for(request.user, pk)
    try:
        services.booking_cancel(booking=booking, cancelled_by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The appointment is cancelled."))
    if request.user.role == Role.MIGRANT and not request.user.is_superuser:
        return redirect("appointments:book")
    return redirect(safe_next_url(request, _day_url(timezone.localdate(booking.slot.starts_at))))


@role_required(*STAFF_ROLES)
@require_POST
def booking_no_show(request, pk):
    booking = selectors.booking_for(request.user, pk)
    try:
        services.booking_no_show(booking=booking, marked_by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Marked: the person did not come."))
    return redirect(_day_url(timezone.localdate(booking.slot.starts_at)))


@role_required(*STAFF_ROLES)
@require_POST
def booking_to_visit(request, pk):
    booking = selectors.booking_for(request.user, pk)
    try:
        services.booking_to_visit(booking=booking, recorded_by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The visit of %(name)s is recorded.") % {"name": booking.migrant.full_name})
    return redirect(_day_url(timezone.localdate(booking.slot.starts_at)))
