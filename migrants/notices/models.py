"""The person's channel choices and phone verification codes (imported by migrants.models)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NoticeChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class ContactChoice(models.Model):
    """How the person wants HOM's notices: the channels they chose, since when, recorded by whom.

    One per person. ``phone_verified`` is the number (E.164) the person proved is theirs with a
    code: SMS and WhatsApp go to that number only while it is still the record's phone.
    """

    migrant = models.OneToOneField(
        "migrants.Migrant", on_delete=models.CASCADE, related_name="contact_choice", verbose_name=_("person")
    )
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    whatsapp = models.BooleanField(_("by WhatsApp"), default=False)
    consent_on = models.DateField(_("consent date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    phone_verified = models.CharField(_("verified phone"), max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contact choice")
        verbose_name_plural = _("contact choices")

    def __str__(self):
        return ", ".join(str(label) for label in self.channel_labels()) or str(_("no channel"))

    def channels(self) -> list[str]:
        return [channel for channel in NoticeChannel.values if getattr(self, channel)]

    def channel_labels(self) -> list[str]:
        return [NoticeChannel(channel).label for channel in self.channels()]

    def verified_for(self, phone) -> bool:
        """Whether ``phone`` (the record's current number) is the number verified."""
        number = getattr(phone, "as_e164", phone) if phone else ""
        return bool(self.phone_verified) and self.phone_verified == str(number)


class PhoneCode(models.Model):
    """A 6-digit code sent by SMS to prove a number: kept hashed, valid 10 minutes, 5 tries.

    Staff never see a code (only its hash is stored, and no page lists the rows).
    """

    migrant = models.ForeignKey(
        "migrants.Migrant", on_delete=models.CASCADE, related_name="phone_codes", verbose_name=_("person")
    )
    phone = models.CharField(_("phone"), max_length=20)
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["code_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("phone verification code")
        verbose_name_plural = _("phone verification codes")
        indexes = [models.Index(fields=["migrant", "-created_at"], name="phone_code_migrant_idx")]

    def __str__(self):
        return f"{self.migrant_id} {self.created_at:%Y-%m-%d %H:%M}"


class NoticeSent(models.Model):
    """The claim of one notice on one channel: unique (key, channel), so a notice goes out once.

    In-app notices are claimed by ``hom.notifications`` and SMS/WhatsApp by ``hom.messaging``
    (each under its own unique key); this ledger holds the email ones, and a line per channel
    for the person's record of what was sent.
    """

    migrant = models.ForeignKey(
        "migrants.Migrant", on_delete=models.CASCADE, related_name="notices_sent", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=120)
    channel = models.CharField(_("channel"), max_length=10, choices=NoticeChannel.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")
        constraints = [models.UniqueConstraint(fields=["key", "channel"], name="notice_sent_once")]

    def __str__(self):
        return f"{self.key} {self.channel}"
