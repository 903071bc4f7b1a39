"""The ledger of records received from devices' outboxes (imported by migrants.models)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hom.accounts.access import OfficeScopedQuerySet


class OfflineKind(models.TextChoices):
    WALK_IN = "walk_in", _("Anonymous walk-in")
    REGISTRATION = "registration", _("Registration")
    VISIT = "visit", _("Visit")


class OfflineReview(models.TextChoices):
    NONE = "", _("Nothing to review")
    PENDING = "pending", _("To review")
    MERGED = "merged", _("Merged into the existing record")
    KEPT = "kept", _("Kept as a different person")


class OfflineItemQuerySet(OfficeScopedQuerySet):
    def pending_review(self):
        return self.filter(review=OfflineReview.PENDING)


class OfflineItem(models.Model):
    """One record received from a device's outbox: its client id, who entered it and when, what it became.

    The unique client id is what makes sending twice harmless. Ids and times only: the record itself
    is the person or the visit it points to (a merge re-points ``migrant`` to the survivor).
    """

    client_id = models.UUIDField(_("client id"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OfflineKind.choices)
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("office"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered on the device at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    migrant = models.ForeignKey("migrants.Migrant", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="offline_items", verbose_name=_("person"))
    visit = models.ForeignKey("migrants.Visit", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("visit"))
    review = models.CharField(_("review"), max_length=10, choices=OfflineReview.choices, blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = OfflineItemQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("record received from a device")
        verbose_name_plural = _("records received from devices")
        indexes = [
            # The "to review" page: the office's pending registrations, oldest first.
            models.Index(fields=["office", "received_at"], name="offline_pending_idx",
                         condition=models.Q(review="pending")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.client_id}"
