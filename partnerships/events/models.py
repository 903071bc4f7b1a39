"""Meetings of a convention's parties, their action items, and the office's events.

Meetings hold decisions and ``ActionItem`` rows (owner, due date, done). Events (forums,
missions abroad, trainings, exchange visits) have participants: persons and organisations.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import Role
from migrants.models import new_record_key
from partnerships.conventions.models import Convention, ConventionPartsQuerySet


class Meeting(models.Model):
    """A steering or follow-up meeting of a convention's parties."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("convention")
    )
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_remote = models.BooleanField(_("remote meeting"), default=False)
    organisations = models.ManyToManyField(
        "partnerships.Organisation", blank=True, related_name="meetings", verbose_name=_("organisations present")
    )
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("Names and functions, one per line."))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ConventionPartsQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["convention", "-held_at"], name="meeting_convention_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_remote=True) | ~Q(place=""), name="meeting_place_or_remote",
                violation_error_message=_("Give the place, or say the meeting is remote."),
            ),
        ]

    def __str__(self):
        return f"{self.convention} — {timezone.localtime(self.held_at):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("partnerships:meeting_detail", args=[self.pk])


class ActionItemQuerySet(ConventionPartsQuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """Something a meeting decided someone will do by a date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting"))
    # Kept beside the meeting so that the dashboard and reminders filter without joins.
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="actions", verbose_name=_("convention")
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items",
        verbose_name=_("owner"),
    )
    owner_organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items",
        verbose_name=_("owner's organisation"),
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["done_on", "due_on"], name="action_item_open_due_idx"),
            models.Index(fields=["convention", "done_on", "due_on"], name="action_item_convention_idx"),
            models.Index(fields=["owner", "done_on", "due_on"], name="action_item_owner_idx"),
        ]

    def __str__(self):
        return self.description


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    MISSION = "mission", _("Mission abroad")
    TRAINING = "training", _("Training")
    EXCHANGE_VISIT = "exchange_visit", _("Exchange visit")


class EventQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_active and not user.is_superuser:
            if user.role == Role.MIGRANT:
                # Trainings open for registration, and every event the person takes part in.
                return self.filter(
                    Q(kind=EventKind.TRAINING, registration_open=True) | Q(participants__migrant__user=user)
                ).distinct()
            if user.role == Role.PARTNER:
                return self.filter(
                    Q(organisers__partner_users=user)
                    | Q(participants__organisation__partner_users=user)
                    | Q(convention__in=Convention.objects.visible_to(user))
                ).distinct()
        return super().visible_to(user)


class Event(models.Model):
    """A forum, a mission abroad, a training or an exchange visit the office organises or joins."""

    # A random key drawn once, never shown: published counts are perturbed from the keys
    # of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="events", verbose_name=_("office"))
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    country = CountryField(_("country"), default="SN")
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="events",
        verbose_name=_("commune"),
    )
    organisers = models.ManyToManyField(
        "partnerships.Organisation", blank=True, related_name="events_organised", verbose_name=_("organisers")
    )
    convention = models.ForeignKey(
        Convention, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name=_("convention"),
    )
    description = models.TextField(_("description"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_open = models.BooleanField(
        _("persons may register"), default=False, help_text=_("For trainings: registered persons may sign up online.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["office", "-starts_on"], name="event_office_start_idx"),
            models.Index(fields=["office", "kind", "-starts_on"], name="event_office_kind_idx"),
            models.Index(fields=["kind", "registration_open", "starts_on"], name="event_registration_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="event_kind_valid",
                violation_error_message=_("Unknown kind of event."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="event_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:event_detail", args=[self.pk])


class EventParticipant(models.Model):
    """A person or an organisation taking part in an event; persons may register themselves for trainings."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event"))
    migrant = models.ForeignKey(
        "migrants.Migrant", on_delete=models.CASCADE, null=True, blank=True, related_name="event_participations",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="event_participations", verbose_name=_("organisation"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registered by"),
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(migrant__isnull=False, organisation__isnull=True)
                | Q(migrant__isnull=True, organisation__isnull=False),
                name="event_participant_person_or_organisation",
                violation_error_message=_("A participant is either a person or an organisation."),
            ),
            models.UniqueConstraint(
                fields=["event", "migrant"], condition=Q(migrant__isnull=False), name="event_participant_unique_person",
                violation_error_message=_("This person is already registered for this event."),
            ),
            models.UniqueConstraint(
                fields=["event", "organisation"], condition=Q(organisation__isnull=False),
                name="event_participant_unique_organisation",
                violation_error_message=_("This organisation is already a participant."),
            ),
        ]

    def __str__(self):
        return str(self.migrant or self.organisation)
