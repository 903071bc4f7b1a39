"""Reads of meetings, action items and events.

Scoping only through the models' ``visible_to(user)``; "overdue" is computed by the database
(an annotation against today), so lists sort and count without a loop in Python.
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.accounts.access import get_visible_or_404
from hom.accounts.models import STAFF_ROLES, User
from hom.text import normalise
from migrants.models import Migrant
from partnerships.conventions.models import Convention
from partnerships.events.models import ActionItem, Event, EventKind, EventParticipant, Meeting
from partnerships.models import Organisation
from partnerships.selectors import partner_view_of_people

PANEL_OPEN_ACTIONS = 10


def _with_overdue(queryset: QuerySet, today: date) -> QuerySet:
    return queryset.annotate(is_overdue=Case(
        When(done_on__isnull=True, due_on__lt=today, then=Value(True)), default=Value(False),
        output_field=BooleanField(),
    ))


def _actions(queryset: QuerySet, today: date) -> QuerySet:
    # Sorted by due date, overdue actions come first; done ones after the open ones.
    return (
        _with_overdue(queryset, today)
        .select_related("owner", "owner_organisation")
        .order_by("done_on", "due_on", "pk")
    )


def convention_meetings_panel(convention, *, today=None) -> dict:
    """What a convention's page shows of its meetings: the last, the next, and the open actions.

    Three queries whatever the number of meetings and actions.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    meetings = Meeting.objects.filter(convention=convention)
    open_actions = _actions(ActionItem.objects.filter(convention=convention).open(), today)
    return {
        "last_meeting": meetings.filter(held_at__lt=now).order_by("-held_at", "pk").first(),
        "next_meeting": meetings.filter(held_at__gte=now).order_by("held_at", "pk").first(),
        "open_actions": list(open_actions[:PANEL_OPEN_ACTIONS]),
        "today": today,
    }


def convention_for_meetings(user, pk: int) -> Convention:
    return get_visible_or_404(Convention.objects.select_related("office"), user, pk=pk)


def convention_meetings(convention: Convention) -> QuerySet:
    """The meetings of a convention, newest first, each with its number of open actions."""
    return (
        Meeting.objects.filter(convention=convention)
        .annotate(
            action_count=Count("actions", distinct=True),
            open_action_count=Count("actions", filter=Q(actions__done_on__isnull=True), distinct=True),
        )
        .prefetch_related("organisations")
        .order_by("-held_at", "pk")
    )


def meeting_for_page(user, pk: int) -> Meeting:
    queryset = Meeting.objects.select_related("convention", "convention__office", "created_by").prefetch_related(
        "organisations"
    )
    return get_visible_or_404(queryset, user, pk=pk)


def meeting_actions(meeting: Meeting, *, today=None) -> list[ActionItem]:
    return list(_actions(meeting.actions.all(), today or timezone.localdate()).order_by("due_on", "pk"))


def action_for_update(user, pk: int, *, today=None) -> ActionItem:
    """One action ``user`` may change, marked overdue or not (its row is drawn again after a change)."""
    queryset = _actions(ActionItem.objects.all(), today or timezone.localdate()).select_related("meeting", "convention")
    return get_visible_or_404(queryset, user, pk=pk)


def action_owner_choices(convention: Convention) -> QuerySet:
    """Who may own an action: active staff of the convention's office, partner users of its parties."""
    parties = convention.parties.values("organisation")
    return User.objects.filter(
        Q(role__in=STAFF_ROLES, office_id=convention.office_id) | Q(partner_organisations__in=parties),
        is_active=True,
    ).distinct().order_by("last_name", "first_name", "pk")


def party_organisations(convention: Convention) -> QuerySet:
    return Organisation.objects.filter(convention_parties__convention=convention).order_by(
        "convention_parties__position", "name"
    )


def open_actions(user, *, convention=None, owner=None, today=None) -> QuerySet:
    """The open actions ``user`` may see, overdue first, optionally of one convention or one owner."""
    queryset = ActionItem.objects.visible_to(user).open()
    if convention is not None:
        queryset = queryset.filter(convention=convention)
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    return _actions(queryset, today or timezone.localdate()).select_related("convention", "meeting")


def conventions_with_actions(user) -> QuerySet:
    return Convention.objects.visible_to(user).order_by("title", "pk")


# --- Events ------------------------------------------------------------------------------


def events_for_list(user, *, kind: str = "", year: int | None = None) -> QuerySet:
    queryset = Event.objects.visible_to(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(starts_on__year=year)
    return (
        queryset.select_related("commune", "convention")
        .annotate(
            person_count=Count("participants", filter=Q(participants__migrant__isnull=False), distinct=True),
            organisation_count=Count(
                "participants", filter=Q(participants__organisation__isnull=False), distinct=True
            ),
        )
        .order_by("-starts_on", "pk")
    )


def event_years(user) -> list[int]:
    return [day.year for day in Event.objects.visible_to(user).dates("starts_on", "year", order="DESC")]


def event_for_page(user, pk: int) -> Event:
    queryset = Event.objects.select_related("office", "commune", "convention").prefetch_related("organisers")
    return get_visible_or_404(queryset, user, pk=pk)


def event_participants(event: Event) -> list[EventParticipant]:
    return list(
        event.participants.select_related("migrant", "organisation", "registered_by").order_by(
            "organisation__name", "migrant__last_name", "migrant__first_name", "pk"
        )
    )


def event_participants_for_partner(event: Event) -> dict:
    """A partner's view of an event's participants: organisations and consenting persons by name, the others counted."""
    rows = event.participants.select_related("migrant", "organisation").order_by(
        "organisation__name", "migrant__last_name", "migrant__first_name", "pk"
    )
    return partner_view_of_people(rows)


def event_registered_count(event: Event) -> int:
    return event.participants.filter(migrant__isnull=False).count()


def is_registered(event: Event, migrant) -> bool:
    """Whether ``migrant`` (their own record, or None) takes part in ``event``."""
    return migrant is not None and event.participants.filter(migrant=migrant).exists()


def participant_for_update(user, pk: int) -> EventParticipant:
    """A participant, through its event's scope: the participant of an event out of scope answers 404."""
    return get_object_or_404(
        EventParticipant.objects.select_related("event", "migrant", "organisation").filter(
            event__in=Event.objects.visible_to(user)
        ),
        pk=pk,
    )


def own_migrant(user):
    """The person record of a migrant's account, or None."""
    return Migrant.objects.filter(user=user).first()


def trainings_open(user, *, migrant=None, today=None) -> QuerySet:
    """Trainings open for registration not yet over, each marked when ``migrant`` is registered."""
    today = today or timezone.localdate()
    queryset = (
        Event.objects.visible_to(user)
        .filter(kind=EventKind.TRAINING, registration_open=True)
        .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today))
        .select_related("commune")
        .annotate(registered_count=Count("participants", filter=Q(participants__migrant__isnull=False), distinct=True))
        .order_by("starts_on", "pk")
    )
    if migrant is not None:
        queryset = queryset.annotate(is_registered=Exists(
            EventParticipant.objects.filter(event=OuterRef("pk"), migrant=migrant)
        ))
    return queryset


def migrant_events(user, migrant) -> list[EventParticipant]:
    """The events a person takes part in, as ``user`` may see them (the person's page)."""
    return list(
        EventParticipant.objects.filter(migrant=migrant, event__in=Event.objects.visible_to(user))
        .select_related("event")
        .order_by("-event__starts_on", "pk")
    )



def action_owners(user) -> QuerySet:
    """Everyone who owns an open action ``user`` may see (the open-actions filter)."""
    return User.objects.filter(
        pk__in=ActionItem.objects.visible_to(user).open().filter(owner__isnull=False).values("owner")
    ).order_by("last_name", "first_name", "pk")


def people_matching(*, office_id: int, text: str, limit: int = 2) -> list[Migrant]:
    """Persons of the office's registry whose file number is ``text`` or whose name contains it.

    At most ``limit`` rows: callers only need to know "none", "one" or "several".
    """
    text = text.strip()
    if not text:
        return []
    people = Migrant.objects.filter(office_id=office_id)
    return list(people.filter(Q(file_number__iexact=text) | Q(search_name__contains=normalise(text)))[:limit])


def participant_person_find(*, office_id: int, text: str) -> Migrant:
    """The one person of the office's registry ``text`` names (a file number, or first and last name).

    Raises ``ValidationError`` saying why when nobody or several persons match; the event's
    form, the admin and an API share this rule.
    """
    matches = people_matching(office_id=office_id, text=text, limit=2)
    if not matches:
        raise ValidationError(_("No person of the office's registry matches “%(text)s”.") % {"text": text.strip()})
    if len(matches) > 1:
        raise ValidationError(_("Several persons match: give the file number."))
    return matches[0]
