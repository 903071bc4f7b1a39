"""The transactional outbox: work for Celery, saved in the same transaction as the change that asks for it.

A dossier move or an import start writes its row here with its own rows; after the commit
the row is published to the broker, and marked published. A broker that is down leaves the
row unpublished: the beat task ``hom.outbox.tasks.outbox_drain`` publishes it when the broker
is back. The work is delayed, never lost, and the change that asked for it is saved either way.
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One Celery task to publish: its dotted name and its arguments (JSON)."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set while one publisher holds the row (a lease, as for the digests): two never publish it at once.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["created_at"], condition=Q(published_at__isnull=True), name="outbox_pending_idx"),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
