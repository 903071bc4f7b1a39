"""Writes of meetings, their action items, events and event participants.

Every write goes through one of these functions (views, the demo and tests alike): they check
what the database cannot (an action's owner works for the office or a party, a training's
places), call ``full_clean()`` and save, so ``simple_history`` keeps each change.
"""
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hom.accounts.models import STAFF_ROLES, Role
from hom.notifications.models import EVENT_REGISTERED, EVENT_TOMORROW
from hom.outbox.services import outbox_enqueue
from migrants.notices.services import notice_send
from partnerships.conventions.models import Convention
from partnerships.events.models import ActionItem, Event, EventKind, EventParticipant, Meeting
from partnerships.models import Organisation

MEETING_FIELDS = ("held_at", "place", "is_remote", "attendees", "agenda", "minutes", "decisions")
EVENT_FIELDS = (
    "kind", "title", "starts_on", "ends_on", "place", "country", "commune", "convention", "description", "outcomes",
    "capacity", "registration_open",
)


def _party_organisation_ids(convention: Convention) -> set[int]:
    return set(convention.parties.values_list("organisation_id", flat=True))


def _check_organisations_are_parties(convention: Convention, organisations) -> None:
    party_ids = _party_organisation_ids(convention)
    if any(organisation.pk not in party_ids for organisation in organisations):
        raise ValidationError({"organisations": _("Only the parties to the convention can be listed as present.")})


def _save_meeting(meeting: Meeting, organisations) -> Meeting:
    if organisations is not None:
        _check_organisations_are_parties(meeting.convention, organisations)
    meeting.full_clean()
    meeting.save()
    if organisations is not None:
        meeting.organisations.set(organisations)
    return meeting


@transaction.atomic
def meeting_create(*, convention: Convention, created_by, held_at, place: str = "", is_remote: bool = False,
                   organisations=(), attendees: str = "", agenda: str = "", minutes: str = "",
                   decisions: str = "") -> Meeting:
    meeting = Meeting(
        convention=convention, created_by=created_by, held_at=held_at, place=place, is_remote=is_remote,
        attendees=attendees, agenda=agenda, minutes=minutes, decisions=decisions,
    )
    return _save_meeting(meeting, list(organisations))


@transaction.atomic
def meeting_update(*, meeting: Meeting, organisations=None, **fields) -> Meeting:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meeting, name, value)
    return _save_meeting(meeting, None if organisations is None else list(organisations))


def _owner_organisation(convention: Convention, owner, owner_organisation):
    """The organisation an action's owner answers for; raises when the owner cannot hold the action."""
    party_ids = _party_organisation_ids(convention)
    if owner_organisation is not None and owner_organisation.pk not in party_ids:
        raise ValidationError({"owner_organisation": _("The owner's organisation must be a party to the convention.")})
    if owner is None:
        return owner_organisation
    if owner.role in STAFF_ROLES and owner.office_id == convention.office_id and owner.is_active:
        return owner_organisation
    if owner.role == Role.PARTNER and owner.is_active:
        own_party_ids = sorted(
            Organisation.objects.filter(pk__in=party_ids, partner_users=owner).values_list("pk", flat=True)
        )
        if own_party_ids:
            if owner_organisation is None:
                return Organisation.objects.get(pk=own_party_ids[0])
            if owner_organisation.pk in own_party_ids:
                return owner_organisation
            raise ValidationError({"owner_organisation": _("This partner does not work for that organisation.")})
    raise ValidationError({"owner": _(
        "The owner must be a staff member of the convention's office or a partner user of one of its parties."
    )})


@transaction.atomic
def action_add(*, meeting: Meeting, description: str, due_on: date, owner=None, owner_organisation=None) -> ActionItem:
    action = ActionItem(
        meeting=meeting, convention_id=meeting.convention_id, description=description, due_on=due_on, owner=owner,
        owner_organisation=_owner_organisation(meeting.convention, owner, owner_organisation),
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_done(*, action: ActionItem, done_on: date | None = None) -> ActionItem:
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if action.done_on is None:
        action.done_on = done_on or timezone.localdate()
        action.full_clean()
        action.save()
    return action


@transaction.atomic
def action_reopen(*, action: ActionItem) -> ActionItem:
    """Undo ``action_done``: the action is open again (the history keeps both changes)."""
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        action.done_on = None
        action.full_clean()
        action.save()
    return action


# --- Events ------------------------------------------------------------------------------


def _check_event(event: Event) -> None:
    if event.convention_id and event.convention.office_id != event.office_id:
        raise ValidationError({"convention": _("The convention must be one of the office's.")})
    if event.registration_open and event.kind != EventKind.TRAINING:
        raise ValidationError({"registration_open": _("Only trainings take online registrations.")})
    if event.pk and event.capacity is not None:
        registered = event.participants.filter(migrant__isnull=False).count()
        if event.capacity < registered:
            raise ValidationError({"capacity": ngettext(
                "%(count)s person is already registered: the places cannot be fewer.",
                "%(count)s persons are already registered: the places cannot be fewer.",
                registered,
            ) % {"count": registered}})


def _save_event(event: Event, organisers) -> Event:
    _check_event(event)
    event.full_clean()
    event.save()
    if organisers is not None:
        event.organisers.set(organisers)
    return event


@transaction.atomic
def event_create(*, office, created_by, kind: str, title: str, starts_on: date, place: str, organisers=(),
                 **fields) -> Event:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_create() got unexpected fields: {sorted(unknown)}")
    event = Event(office=office, created_by=created_by, kind=kind, title=title, starts_on=starts_on, place=place,
                  **fields)
    return _save_event(event, list(organisers))


@transaction.atomic
def event_update(*, event: Event, organisers=None, **fields) -> Event:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_update() got unexpected fields: {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in fields.items():
        setattr(event, name, value)
    return _save_event(event, None if organisers is None else list(organisers))


def _check_place_left(event: Event) -> None:
    if event.capacity is not None and event.participants.filter(migrant__isnull=False).count() >= event.capacity:
        full = ngettext(
            "This event is full: its %(capacity)s place is taken.",
            "This event is full: all %(capacity)s places are taken.",
            event.capacity,
        )
        raise ValidationError(full % {"capacity": event.capacity})


def _participant_save(participant: EventParticipant) -> EventParticipant:
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def event_participant_add(*, event: Event, registered_by, migrant=None, organisation=None) -> EventParticipant:
    """Staff add a person of the office's registry, or an organisation, to an event."""
    # The event row is locked so that two registrations cannot both take the last place.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if migrant is not None:
        if migrant.office_id != event.office_id:
            raise ValidationError({"migrant": _("Only persons of the office's registry can be added.")})
        _check_place_left(event)
    participant = _participant_save(EventParticipant(
        event=event, migrant=migrant, organisation=organisation, registered_by=registered_by,
    ))
    if migrant is not None:
        _registration_notice_queue(participant)
    return participant


def _registration_notice_queue(participant: EventParticipant) -> None:
    # The person is told on their channels (migrants.notices), with the registration (hom.outbox).
    outbox_enqueue(task="partnerships.tasks.event_registration_notify", args=[participant.pk])


def _event_values(event: Event) -> dict:
    return {"title": event.title, "date": date_format(event.starts_on, "SHORT_DATE_FORMAT"), "place": event.place}


def notice_send_for_registration(*, participant: EventParticipant) -> list:
    """Confirm to the person their registration for an event. Safe to run twice."""
    event = participant.event
    return notice_send(
        migrant=participant.migrant, kind=EVENT_REGISTERED, key=f"partnerships.registration:{participant.pk}",
        text=lambda: _("Your registration is confirmed: “%(title)s”, %(date)s, %(place)s.") % _event_values(event),
        path=reverse("partnerships:event_detail", args=[event.pk]),
        subject=lambda: _("HOM: your registration is confirmed"),
    )


def event_reminders_send(*, day: date | None = None) -> int:
    """The day before an event, remind each person registered (once per event and person, by key).

    ``day``: the day the reminders are sent (today by default); the events starting the next day
    are reminded. Returns the number of persons reminded now or before.
    """
    tomorrow = (day or timezone.localdate()) + timedelta(days=1)
    participants = (
        EventParticipant.objects.filter(event__starts_on=tomorrow, migrant__isnull=False, migrant__erased_at__isnull=True)
        .select_related("event", "migrant__user", "migrant__office", "migrant__contact_choice")
        .order_by("pk")
    )
    count = 0
    for participant in participants:
        event = participant.event
        with transaction.atomic():
            notice_send(
                migrant=participant.migrant, kind=EVENT_TOMORROW,
                key=f"partnerships.event-tomorrow:{event.pk}:{participant.migrant_id}",
                text=lambda event=event: _("Reminder: “%(title)s” is tomorrow, %(date)s, %(place)s.") % _event_values(event),
                path=reverse("partnerships:event_detail", args=[event.pk]),
                subject=lambda: _("HOM: your event is tomorrow"),
            )
        count += 1
    return count


@transaction.atomic
def event_register(*, event: Event, migrant, registered_by) -> EventParticipant:
    """A person registers themselves for a training open for registration."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.kind != EventKind.TRAINING or not event.registration_open:
        raise ValidationError(_("Registration for this event is closed."))
    if (event.ends_on or event.starts_on) < timezone.localdate():
        raise ValidationError(_("This training is over."))
    if event.participants.filter(migrant=migrant).exists():
        raise ValidationError(_("You are already registered for this training."))
    _check_place_left(event)
    participant = _participant_save(EventParticipant(event=event, migrant=migrant, registered_by=registered_by))
    _registration_notice_queue(participant)
    return participant


@transaction.atomic
def event_withdraw(*, event: Event, migrant) -> None:
    """A person withdraws their registration; once the training has started, they may no longer."""
    if event.starts_on <= timezone.localdate():
        raise ValidationError(_("The training has started: ask the office to change your registration."))
    participant = event.participants.filter(migrant=migrant).first()
    if participant is None:
        raise ValidationError(_("You are not registered for this training."))
    participant.delete()


@transaction.atomic
def participant_attendance(*, participant: EventParticipant, attended: bool | None) -> EventParticipant:
    participant.attended = attended
    return _participant_save(participant)


@transaction.atomic
def participant_remove(*, participant: EventParticipant) -> None:
    participant.delete()
