"""Awareness campaigns: one message an office admin sends to a group of the registry (imported by migrants.models).

A campaign keeps what was asked (the registry's filters, the text, the channel, when) and who sent it;
the messages themselves are rows of ``hom.messaging``'s ledger, found by their source
``migrants.campaign:<pk>`` (one per person, key ``campaign:<pk>:<migrant pk>``).
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet


class CampaignChannel(models.TextChoices):
    # The same values as hom.messaging.models.Channel.
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class CampaignQuerySet(OfficeScopedQuerySet):
    def due(self, now):
        """Scheduled campaigns whose time has come (``scheduled_for`` empty: now)."""
        return self.filter(state=CampaignState.SCHEDULED).filter(
            models.Q(scheduled_for__isnull=True) | models.Q(scheduled_for__lte=now)
        )


class Campaign(models.Model):
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    title = models.CharField(_("title"), max_length=120)
    message = models.TextField(_("message"))
    channel = models.CharField(_("channel"), max_length=16, choices=CampaignChannel.choices, default=CampaignChannel.SMS)
    # The registry's filters (migrants.filters.MigrantFilter) that chose the group: {name: value as posted}.
    filters = models.JSONField(_("group"), default=dict, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=CampaignState.choices, default=CampaignState.DRAFT,
                             db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("written by"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    # When the worker claimed it (a lease: a claim older than CLAIM_LEASE is taken again, see services).
    claimed_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("cancelled by"))
    recipients_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True)

    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        indexes = [
            models.Index(fields=["office", "-created_at"], name="campaign_office_created_idx"),
            models.Index(fields=["scheduled_for"], name="campaign_due_idx",
                         condition=models.Q(state="scheduled")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("migrants:campaign_detail", args=[self.pk])

    @property
    def source(self) -> str:
        """The messages' source in hom.messaging's ledger (their counts)."""
        return f"migrants.campaign:{self.pk}"
