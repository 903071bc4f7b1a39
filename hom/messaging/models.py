"""The message ledger: every SMS or WhatsApp message HOM sends, one row each, ever.

Exactly once rests on a unique constraint on ``(key, channel)``: the same notice on the same
channel is one row, inserted before anything is sent. Sending claims the row with a
conditional UPDATE (a lease, as for the digests and the outbox), so two workers never call
the gateway for one message. ``OptOut`` records a number that answered STOP.
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Encoding(models.TextChoices):
    GSM7 = "GSM-7", "GSM-7"
    UCS2 = "UCS-2", "UCS-2"


# Errors recorded by message_enqueue (stable strings: other apps and the tests compare them).
OPTED_OUT = "opted out"
DAILY_CAP = "daily cap"


STATUS_BADGES = {
    MessageStatus.QUEUED: "text-bg-secondary",
    MessageStatus.SENT: "text-bg-primary",
    MessageStatus.DELIVERED: "text-bg-success",
    MessageStatus.FAILED: "text-bg-danger",
}
ERROR_LABELS = {OPTED_OUT: _("The number answered STOP"), DAILY_CAP: _("Too many messages today")}


class Message(models.Model):
    """One message to one number on one channel."""

    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("office"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    to = models.CharField(_("number"), max_length=20, db_index=True, help_text=_("E.164, e.g. +221771234567"))
    body = models.TextField(_("text"), blank=True)
    # WhatsApp: the approved template, its body parameters and its language.
    template = models.CharField(_("template"), max_length=100, blank=True)
    params = models.JSONField(_("template parameters"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    key = models.CharField(_("key"), max_length=200)
    source = models.CharField(_("source"), max_length=120, blank=True, db_index=True)
    person_key = models.CharField(_("person"), max_length=120, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=200, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Quiet hours: not sent before this moment (the beat task sends it then).
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    # After a gateway error: the beat task takes it again from this moment (Celery's retry may be first).
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)
    # Set while one worker holds the message (a lease): two never call the gateway for it at once.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    segments = models.PositiveSmallIntegerField(_("segments"), default=1)
    encoding = models.CharField(_("encoding"), max_length=8, choices=Encoding.choices, default=Encoding.GSM7)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["key", "channel"], name="message_once_per_key_and_channel"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="message_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="message_status_valid"),
        ]
        indexes = [
            models.Index(fields=["to", "channel", "queued_at"], name="message_to_day_idx"),
            models.Index(fields=["status", "not_before"], name="message_due_idx", condition=Q(status="queued")),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.masked_to} · {self.get_status_display()}"

    @property
    def status_badge(self) -> str:
        """The Bootstrap badge of the status (the person's page)."""
        return STATUS_BADGES.get(self.status, "text-bg-secondary")

    @property
    def waits_for_morning(self) -> bool:
        return self.status == MessageStatus.QUEUED and self.not_before is not None

    @property
    def error_label(self) -> str:
        """The error in words for the person's page: ours translated, a gateway's as it said it."""
        return str(ERROR_LABELS.get(self.error, self.error))

    @property
    def masked_to(self) -> str:
        """The number hidden but for its last 3 digits: ``•••••••567``."""
        return "\u2022" * max(len(self.to) - 3, 0) + self.to[-3:]


class DailyCount(models.Model):
    """Messages queued today to one number on one channel: the daily cap's counter.

    One row per (number, channel, day, Africa/Dakar), locked (``SELECT … FOR UPDATE``) while a
    message is queued: two requests writing to one number wait for each other, so the cap is exact,
    with a row lock rather than a lock-table entry per number. Rows older than yesterday are
    deleted by the beat task; an erased person's rows go with their messages.
    """

    to = models.CharField(_("number"), max_length=20)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    day = models.DateField(_("day"), db_index=True)
    count = models.PositiveIntegerField(_("messages"), default=0)

    class Meta:
        ordering = ["-day", "to"]
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [models.UniqueConstraint(fields=["to", "channel", "day"], name="daily_count_once")]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} · {self.channel} · {self.count}"


class OptOut(models.Model):
    """A number that answered STOP (or ARRÊT): nothing is sent to it any more."""

    phone = models.CharField(_("number"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=60, blank=True, help_text=_("The gateway that reported it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")

    def __str__(self):
        return "\u2022" * max(len(self.phone) - 3, 0) + self.phone[-3:]
