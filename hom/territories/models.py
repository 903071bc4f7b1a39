"""Senegal's administrative map (region > department > commune) and shared reference tables.

Codes come from the project's copy of the public reference data (see
``hom/territories/data/SOURCES.md``). Sector and NeedCategory carry a French and an
English label; ``label`` picks the one of the active language.
"""
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Department(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def with_parents(self):
        return self.select_related("department__region")


class Commune(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name=_("department")
    )
    code = models.CharField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=80)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        indexes = [models.Index(Lower("name"), name="commune_name_lower_idx")]

    def __str__(self):
        return self.name


class LabelledQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class LabelledReference(models.Model):
    """A reference row with a stable code and a label in each interface language."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = LabelledQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr


class Sector(LabelledReference):
    """A business sector as Senegalese funders name them (codes AGRI, ELEV, ...)."""

    class Meta(LabelledReference.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class NeedCategory(LabelledReference):
    """What a person comes to the office for: information, funding, papers, training..."""

    class Meta(LabelledReference.Meta):
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")
