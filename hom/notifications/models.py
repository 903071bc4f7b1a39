"""In-app notifications and the daily reminder digests.

Exactly once rests on two claim rows, both guarded by a unique constraint:

- a ``Digest`` per recipient and day is inserted before anything is sent, so a second
  run the same day (another worker, a retried task, the command) finds it and stops;
- a ``Reminder`` per recipient, kind, object and due date is inserted the first time an
  item is announced: an overdue item stays in every digest until it is done, but only
  the digest that inserted its reminder shows it as new and makes its notification.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hom.accounts.access import ScopedQuerySet

DEFAULT_WAITING_DAYS = 7


class ReminderKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Visit follow-ups")
    DOSSIER_WAITING = "dossier_waiting", _("Dossiers waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested on my dossier")
    FUNDING_DEADLINE = "funding_deadline", _("Funding deadlines")
    INTRODUCTION = "introduction", _("Introductions to follow up")
    CONVENTION_REPORT = "convention_report", _("Convention reports")
    MEETING_ACTION = "meeting_action", _("Meeting action items")
    RESULT_CHECK = "result_check", _("Result checks of funded dossiers")


# Notifications that are not reminders: told once, when something happens (not in the digest).
DOSSIER_MOVED = "dossier_moved"
# The other notices to a person (migrants/notices, docs/notices.md), sent by the domain apps.
FUNDING_DECIDED = "funding_decided"
INTRODUCTION_ACCEPTED = "introduction_accepted"
EVENT_REGISTERED = "event_registered"
EVENT_TOMORROW = "event_tomorrow"
APPOINTMENT_BOOKED = "appointment_booked"
APPOINTMENT_REMINDER = "appointment_reminder"
APPOINTMENT_CANCELLED = "appointment_cancelled"
EVENT_KINDS = [
    (DOSSIER_MOVED, _("My dossier moved")),
    (FUNDING_DECIDED, _("A funding application was decided")),
    (INTRODUCTION_ACCEPTED, _("An introduction was accepted")),
    (EVENT_REGISTERED, _("A registration for an event")),
    (EVENT_TOMORROW, _("An event tomorrow")),
    (APPOINTMENT_BOOKED, _("An appointment booked")),
    (APPOINTMENT_REMINDER, _("An appointment tomorrow")),
    (APPOINTMENT_CANCELLED, _("An appointment cancelled")),
]
NOTIFICATION_KINDS = [*ReminderKind.choices, *EVENT_KINDS]


def all_kinds() -> list[str]:
    """By default a person receives every kind of reminder."""
    return list(ReminderKind.values)


class DigestState(models.TextChoices):
    CLAIMED = "claimed", _("Being sent")
    SENT = "sent", _("Sent")
    EMPTY = "empty", _("Nothing due")
    FAILED = "failed", _("Failed")


class OfficeReminderSettings(models.Model):
    """How long a dossier may wait before the office is reminded (N days; the admin after 2N)."""

    office = models.OneToOneField(
        "accounts.Office", on_delete=models.CASCADE, related_name="reminder_settings", verbose_name=_("office")
    )
    waiting_days = models.PositiveSmallIntegerField(
        _("days before a reminder"),
        default=DEFAULT_WAITING_DAYS,
        help_text=_("A submitted dossier waiting this long reminds its advisor, twice as long its office admin."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["office"]
        verbose_name = _("office reminder settings")
        verbose_name_plural = _("office reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(waiting_days__gte=1),
                name="office_reminder_days_positive",
                violation_error_message=_("At least one day."),
            )
        ]

    def __str__(self):
        return f"{self.office}: {self.waiting_days}"


class NotificationPreference(models.Model):
    """What one person wants to hear about, and whether by email too. No row: everything, by email, in French."""

    recipient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("recipient"),
    )
    kinds = models.JSONField(_("kinds received"), default=all_kinds, blank=True)
    email_enabled = models.BooleanField(_("receive the daily email"), default=True)
    language = models.CharField(
        _("language of the emails"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["recipient"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.recipient)


class Digest(models.Model):
    """The claim on one recipient's digest of one day: inserted first, so it is sent once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests", verbose_name=_("recipient")
    )
    day = models.DateField(_("day"))
    state = models.CharField(_("state"), max_length=16, choices=DigestState.choices, default=DigestState.CLAIMED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    new_count = models.PositiveIntegerField(_("new items"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-day", "recipient"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_one_per_recipient_and_day"),
            models.CheckConstraint(condition=Q(state__in=DigestState.values), name="digest_state_valid"),
        ]
        indexes = [models.Index(fields=["day", "state"], name="digest_day_state_idx")]

    def __str__(self):
        return f"{self.recipient} · {self.day:%d/%m/%Y} · {self.get_state_display()}"


class Reminder(models.Model):
    """The ledger of announced items: one row per (recipient, kind, object, due date), ever."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ReminderKind.choices)
    object_key = models.CharField(_("object"), max_length=120)
    due_on = models.DateField(_("due date"))
    # The digest that announced it first: a retry of that digest still shows it as new.
    digest = models.ForeignKey(
        Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders", verbose_name=_("digest")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_key", "due_on"], name="reminder_announced_once"
            ),
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.kind} · {self.object_key} · {self.due_on:%d/%m/%Y}"


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        # Even a national admin sees only their own notifications: they are personal.
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """What a person sees under the bell, read or not.

    Either a reminder's (made with its claim, in the digest) or an event's, told at once
    (e.g. ``dossier_moved``: a migrant's dossier changed status, one per
    ``projects.DossierTransition``, key ``projects.transition:<pk>``, emailed on its own).
    An event's notification is made once per recipient and key (a unique constraint).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NOTIFICATION_KINDS)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    object_key = models.CharField(_("object"), max_length=120)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    reminder = models.OneToOneField(
        Reminder,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification",
        verbose_name=_("reminder"),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # An event's own email (reminders go in the daily digest instead).
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_created_idx"),
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[value for value, _label in NOTIFICATION_KINDS]), name="notification_kind_valid"
            ),
            # An event is told once: the task that tells it may run twice, or two workers at once.
            models.UniqueConstraint(
                fields=["recipient", "object_key"], condition=Q(reminder__isnull=True), name="notification_event_once"
            ),
        ]

    def __str__(self):
        return self.title
