"""What the ARD writes about a commune for its public profile ("profil migratoire").

The figures of a profile are computed (see ``selectors``); only the narrative and the
planning document (the local development plan) are kept here, edited by staff.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hom.accounts.access import OfficeScopedQuerySet


def development_plan_path(profile, filename):
    # The name a file arrives with is not trusted; the commune code is enough to find it.
    return f"communes/{profile.commune.code}/plan-{profile.plan_extension or 'pdf'}.{profile.plan_extension or 'pdf'}"


class CommuneProfile(models.Model):
    commune = models.OneToOneField(
        "territories.Commune", on_delete=models.CASCADE, related_name="profile", verbose_name=_("commune")
    )
    narrative = models.TextField(
        _("presentation"), blank=True, help_text=_("What the diaspora should know about the commune, in plain words.")
    )
    development_plan = models.FileField(
        _("local development plan"), upload_to=development_plan_path, blank=True, max_length=200
    )
    plan_extension = models.CharField(_("file type"), max_length=8, blank=True, editable=False)
    plan_content_type = models.CharField(_("content type"), max_length=120, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["commune__name"]
        verbose_name = _("commune profile")
        verbose_name_plural = _("commune profiles")

    def __str__(self):
        return str(self.commune)

    def get_absolute_url(self):
        return reverse("communes:profile", args=[self.commune.code])


class SummaryMonth(models.Model):
    """A month whose visit summaries were rebuilt from the visits (``built_at``), and kept since.

    Reports read a period from the summaries only when each of its months is built; the
    row is also what refreshes and rebuilds of a month lock, one at a time.
    """

    month = models.DateField(_("month"), unique=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        ordering = ["month"]
        verbose_name = _("summarised month")
        verbose_name_plural = _("summarised months")

    def __str__(self):
        return f"{self.month:%Y-%m}"


class VisitMonthQuerySet(OfficeScopedQuerySet):
    pass


class VisitSlice(models.Model):
    """Who a summary row is about: a registered person, or a kind of walk-in of an office, in a month."""

    month = models.DateField(_("month"))
    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="+", verbose_name=_("office"))
    migrant = models.ForeignKey(
        "migrants.Migrant", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("migrant")
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("commune"),
    )
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, blank=True)
    visits = models.PositiveIntegerField(_("visits"))
    # The sum of those visits' record keys: the visit cells' keys add up over months (privacy.py).
    key_sum = models.PositiveBigIntegerField(_("sum of record keys"), default=0)

    objects = VisitMonthQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.visits}"


class VisitMonth(VisitSlice):
    """Visits of one month summed, one row per registered person, or per kind of anonymous walk-in.

    A registered person's row keeps only who (``migrant``): their sex, age, situation,
    country and commune of origin are read from the person at report time, as the live
    query does, so editing a person never leaves the summary behind. A walk-in's row keeps
    what the walk-in recorded (commune, sex, age group). Visits add up across rows; distinct
    persons are ``COUNT(DISTINCT migrant)`` over the months of a period, exact because a
    person's visits of a month are never split between a person row and another person.
    Rebuilt by ``services.visit_summary_rebuild_month`` (nightly) and refreshed for one
    person's (or one office's walk-ins') month when a visit is saved or deleted.

    Derived figures only, rebuilt at will: no history (the visits keep theirs).
    """

    class Meta:
        verbose_name = _("visits of a month")
        verbose_name_plural = _("visits by month")
        indexes = [
            # An office's months read from the index alone (index-only scans), however many rows the other
            # offices have in the same months (issue 23). PostgreSQL only keeps the included columns.
            models.Index(
                fields=["office", "month"], include=["migrant", "visits", "key_sum", "sex", "age_group", "commune"],
                name="visit_month_office_idx",
            ),
            models.Index(fields=["month", "migrant"], name="visit_month_migrant_idx"),
        ]


class VisitNeedMonth(VisitSlice):
    """Like :class:`VisitMonth`, for one need: the visits of the month that expressed it.

    ``person_key`` copies the person's record key (0 on a walk-in's row), so that the needs
    table gets the key of its distinct persons in the same single GROUP BY as their
    ``COUNT(DISTINCT migrant)``, without joining the persons (``selectors.visits.need_counts``).
    A record key never changes; a merge gives the duplicate's rows the survivor's key
    (``personal_data.merge_persons``), and every rebuild or refresh copies it again.
    """

    need = models.ForeignKey(
        "territories.NeedCategory", on_delete=models.CASCADE, related_name="+", verbose_name=_("need")
    )
    person_key = models.PositiveSmallIntegerField(_("record key of the person"), default=0)

    class Meta:
        verbose_name = _("visits of a month for a need")
        verbose_name_plural = _("visits by month and need")
        indexes = [
            models.Index(
                fields=["office", "month"], include=["need", "migrant", "visits", "key_sum", "person_key"],
                name="visit_need_month_office_idx",
            ),
            models.Index(fields=["month", "migrant"], name="visit_need_month_migrant_idx"),
        ]
