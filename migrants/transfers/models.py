"""Transfers of a person from one office to another (issue 24, part 6; imported by migrants.models).

A transfer is made by the holding office's admin (state ``done`` at once), or requested by another
office that met the person at registration (state ``requested``) and then accepted (``done``) or
refused by the holding office's admin. The requesting office never sees who the person is until
the transfer is made: see docs/migrants.md, "Transfers between offices".
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import STAFF_ROLES


class TransferState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class TransferQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user):
        """Both offices' staff see the row (what they see of the person is the pages' business)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role in STAFF_ROLES and user.office_id:
            return self.filter(Q(from_office=user.office_id) | Q(to_office=user.office_id))
        return self.none()


class Transfer(models.Model):
    migrant = models.ForeignKey("migrants.Migrant", on_delete=models.PROTECT, related_name="transfers",
                                verbose_name=_("person"))
    from_office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("from office"))
    to_office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("to office"))
    state = models.CharField(_("state"), max_length=12, choices=TransferState.choices, default=TransferState.DONE,
                             db_index=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("made or refused by"))
    decided_at = models.DateTimeField(_("made or refused at"), null=True, blank=True)
    dossiers_moved = models.PositiveIntegerField(_("dossiers moved"), default=0)

    objects = TransferQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [
            models.Index(fields=["from_office", "-id"], name="transfer_from_idx"),
            models.Index(fields=["to_office", "-id"], name="transfer_to_idx"),
        ]

    def __str__(self):
        return f"{self.from_office_id} -> {self.to_office_id} ({self.state})"
