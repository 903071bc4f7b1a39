"""The guidance sheets (imported by migrants.models)."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet


class ProcedureTopic(models.TextChoices):
    RESIDENCE = "residence", _("Residence permits and visas")
    CIVIL_STATUS = "civil_status", _("Civil status documents")
    CONSULAR = "consular", _("Consular services")
    OTHER = "other", _("Other procedures")


class ProcedureSheetQuerySet(OfficeScopedQuerySet):
    def published(self):
        return self.filter(is_published=True)


class ProcedureSheet(models.Model):
    """One procedure explained: what it is for, the documents, where to go, in French and English."""

    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="procedure_sheets", verbose_name=_("office")
    )
    topic = models.CharField(_("topic"), max_length=16, choices=ProcedureTopic.choices)
    title_fr = models.CharField(_("title (French)"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True,
                                help_text=_("Empty: the French title is shown in English too."))
    body_fr = models.TextField(_("the sheet (French)"), help_text=_("Plain text; an empty line starts a paragraph."))
    body_en = models.TextField(_("the sheet (English)"), blank=True,
                               help_text=_("Empty: the French sheet is shown in English too."))
    source_url = models.URLField(_("official source"), blank=True,
                                 help_text=_("The official page the sheet follows (a ministry, a consulate)."))
    is_published = models.BooleanField(_("published"), default=True,
                                       help_text=_("Published sheets are public; the others only the office's staff see."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("last changed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ProcedureSheetQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "title_fr", "pk"]
        verbose_name = _("procedure sheet")
        verbose_name_plural = _("procedure sheets")
        indexes = [models.Index(fields=["office", "is_published", "topic"], name="procedure_office_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("procedures:detail", args=[self.pk])

    @property
    def _english(self) -> bool:
        return (get_language() or "fr").startswith("en")

    @property
    def title(self) -> str:
        return self.title_en if self._english and self.title_en else self.title_fr

    @property
    def body(self) -> str:
        return self.body_en if self._english and self.body_en else self.body_fr
