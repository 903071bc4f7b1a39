"""Pages of meetings (with their action items), the office's open actions, and events.

Thin views: scope through the selectors (``visible_to``, 404 out of scope), validate with the
forms, write with ``partnerships.events.services``. Staff of the convention's (or event's) office write;
partner users of a party read their conventions' meetings; migrants see trainings open for
registration and register themselves.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error
from hom.http import safe_next_url
from partnerships.events import selectors, services
from partnerships.events.forms import (
    EVENT_FORM_FIELDS,
    ActionItemForm,
    AttendanceForm,
    EventFilterForm,
    EventForm,
    MeetingForm,
    OpenActionFilterForm,
    ParticipantAddForm,
)

PAGE_SIZE = 25


# --- Meetings ----------------------------------------------------------------------------


@role_required(*STAFF_ROLES, Role.PARTNER)
@require_GET
def meeting_list(request, convention_pk):
    convention = selectors.convention_for_meetings(request.user, convention_pk)
    page = Paginator(selectors.convention_meetings(convention), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/meetings/list.html", {
        "convention": convention, "page": page, "is_staff": request.user.has_role(*STAFF_ROLES),
    })


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_create(request, convention_pk):
    convention = selectors.convention_for_meetings(request.user, convention_pk)
    form = MeetingForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(convention=convention, created_by=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect(meeting)
    return render(request, "partnerships/meetings/form.html", {"form": form, "convention": convention})


@role_required(*STAFF_ROLES, Role.PARTNER)
@require_GET
def meeting_detail(request, pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    is_staff = request.user.has_role(*STAFF_ROLES)
    return render(request, "partnerships/meetings/detail.html", {
        "meeting": meeting,
        "convention": meeting.convention,
        "actions": selectors.meeting_actions(meeting),
        "is_staff": is_staff,
        "action_form": ActionItemForm(convention=meeting.convention) if is_staff else None,
    })


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    form = MeetingForm(request.POST or None, instance=selectors.meeting_for_page(request.user, pk),
                       convention=meeting.convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(meeting)
    return render(request, "partnerships/meetings/form.html", {
        "form": form, "convention": meeting.convention, "meeting": meeting,
    })


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    form = ActionItemForm(request.POST or None, convention=meeting.convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The action is added."))
            return redirect(meeting)
    return render(request, "partnerships/meetings/action_form.html", {
        "form": form, "meeting": meeting, "convention": meeting.convention,
    })


@role_required(*STAFF_ROLES)
@require_POST
def action_toggle(request, pk):
    """Mark an action done, or open again (htmx swaps its row; a redirect without JS)."""
    action = selectors.action_for_update(request.user, pk)
    if action.done_on is None:
        action = services.action_done(action=action)
    else:
        action = services.action_reopen(action=action)
    if request.htmx:
        action = selectors.action_for_update(request.user, pk)
        return render(request, "partnerships/meetings/_action.html", {
            "action": action, "is_staff": True, "show_convention": request.POST.get("show_convention") == "1",
            "next_url": safe_next_url(request, action.meeting),
        })
    messages.success(request, _("The action is marked as done.") if action.done_on else _("The action is open again."))
    return redirect(safe_next_url(request, action.meeting))


@role_required(*STAFF_ROLES)
@require_GET
def action_list(request):
    form = OpenActionFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    actions = selectors.open_actions(
        request.user, convention=filters.get("convention"), owner=filters.get("owner")
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/meetings/actions.html", {"form": form, "page": page})


# --- Events ------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def event_list(request):
    form = EventFilterForm(request.GET or None, years=selectors.event_years(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.events_for_list(request.user, kind=filters.get("kind") or "", year=filters.get("year"))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/events/list.html", {"form": form, "page": page})


def _event_fields(data: dict) -> dict:
    return {name: data[name] for name in EVENT_FORM_FIELDS if name in data}


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def event_create(request):
    office = request.user.office
    if office is None:
        messages.error(request, _("Only the staff of an office can record an event."))
        return redirect("partnerships:event_list")
    form = EventForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(office=office, created_by=request.user, **_event_fields(form.cleaned_data))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The event is recorded."))
            return redirect(event)
    return render(request, "partnerships/events/form.html", {"form": form})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = selectors.event_for_page(request.user, pk)
    form = EventForm(request.POST or None, instance=selectors.event_for_page(request.user, pk), office=event.office)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, **_event_fields(form.cleaned_data))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    return render(request, "partnerships/events/form.html", {"form": form, "event": event})


def _event_context(request, event, participant_form=None) -> dict:
    is_staff = request.user.has_role(*STAFF_ROLES)
    migrant = selectors.own_migrant(request.user) if request.user.role == Role.MIGRANT else None
    return {
        "event": event,
        "is_staff": is_staff,
        # Only the office's staff see who takes part: persons are personal data.
        "participants": selectors.event_participants(event) if is_staff else [],
        # A partner sees the persons who consent to sharing with partners by name, the others as a number.
        "partner_participants": (
            selectors.event_participants_for_partner(event) if request.user.role == Role.PARTNER and not is_staff else None
        ),
        "registered_count": selectors.event_registered_count(event),
        "participant_form": participant_form or (ParticipantAddForm(event=event) if is_staff else None),
        "own_migrant": migrant,
        "is_registered": selectors.is_registered(event, migrant),
    }


@role_required(*STAFF_ROLES, Role.MIGRANT, Role.PARTNER)
@require_GET
def event_detail(request, pk):
    event = selectors.event_for_page(request.user, pk)
    return render(request, "partnerships/events/detail.html", _event_context(request, event))


@role_required(*STAFF_ROLES)
@require_POST
def participant_add(request, pk):
    event = selectors.event_for_page(request.user, pk)
    form = ParticipantAddForm(request.POST, event=event)
    if form.is_valid():
        try:
            services.event_participant_add(
                event=event, registered_by=request.user, migrant=form.cleaned_data["person"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The participant is added."))
            return redirect(event)
    return render(request, "partnerships/events/detail.html", _event_context(request, event, form), status=200)


@role_required(*STAFF_ROLES)
@require_POST
def participant_attendance(request, pk):
    participant = selectors.participant_for_update(request.user, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        participant = services.participant_attendance(participant=participant, attended=form.cleaned_data["attended"])
    if request.htmx:
        return render(request, "partnerships/events/_participant.html", {"participant": participant, "is_staff": True})
    messages.success(request, _("The attendance is recorded."))
    return redirect(participant.event)


@role_required(*STAFF_ROLES)
@require_POST
def participant_remove(request, pk):
    participant = selectors.participant_for_update(request.user, pk)
    event = participant.event
    services.participant_remove(participant=participant)
    messages.success(request, _("The participant is removed."))
    return redirect(event)


@role_required(Role.MIGRANT)
@require_GET
def training_list(request):
    migrant = selectors.own_migrant(request.user)
    trainings = selectors.trainings_open(request.user, migrant=migrant)
    page = Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/events/trainings.html", {"page": page, "own_migrant": migrant})


def _own_migrant_or_404(request):
    migrant = selectors.own_migrant(request.user)
    if migrant is None:
        raise Http404
    return migrant


@role_required(Role.MIGRANT)
@require_POST
def event_register(request, pk):
    event = selectors.event_for_page(request.user, pk)
    migrant = selectors.own_migrant(request.user)
    if migrant is None:
        messages.error(request, _("Your account is not linked to a person record yet: ask the office."))
        return redirect(event)
    try:
        services.event_register(event=event, migrant=migrant, registered_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are registered for this training."))
    return redirect(event)


@role_required(Role.MIGRANT)
@require_POST
def event_withdraw(request, pk):
    event = selectors.event_for_page(request.user, pk)
    migrant = _own_migrant_or_404(request)
    try:
        services.event_withdraw(event=event, migrant=migrant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is withdrawn."))
    # Once withdrawn, a training closed since may be out of the person's sight.
    return redirect("partnerships:training_list")
