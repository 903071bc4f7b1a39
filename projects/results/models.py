"""Results after funding: the follow-up checks of a funded dossier (3, 6, 12 and 24 months).

A funded dossier gets its schedule once (``services.result_schedule_create``): one
``ResultCheck`` per milestone, due that many months after the funding date. An advisor of the
dossier's office records each check: the business's state, the jobs created, the turnover
band and the amounts disbursed and repaid to date. The impact figures of the reports read
the recorded checks (``selectors.impact_figures``).
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hom import dates
from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import Role
from hom.amounts import bound_errors
from migrants.models import new_record_key

# The milestones of the schedule, in months after the funding date.
SCHEDULE_MONTHS = (3, 6, 12, 24)
# The milestone the reports' "operating after 12 months" reads.
IMPACT_MONTHS = 12
# The largest number of jobs a small integer holds (SQLite would take more, PostgreSQL not).
MAX_JOBS = 32767
JOBS_BOUND = [MaxValueValidator(MAX_JOBS)]


class BusinessState(models.TextChoices):
    OPERATING = "operating", _("Operating")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed down")


class TurnoverBand(models.TextChoices):
    NONE = "none", _("No turnover yet")
    UNDER_1M = "under_1m", _("Under 1 000 000 FCFA a year")
    FROM_1M = "1m_5m", _("1 000 000 to 5 000 000 FCFA a year")
    FROM_5M = "5m_20m", _("5 000 000 to 20 000 000 FCFA a year")
    FROM_20M = "20m_50m", _("20 000 000 to 50 000 000 FCFA a year")
    OVER_50M = "over_50m", _("Over 50 000 000 FCFA a year")


class ResultCheckQuerySet(OfficeScopedQuerySet):
    """Scoped like its dossier: the office's staff, and the promoter for their own dossiers."""

    office_lookup = "dossier__office"

    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.role == Role.MIGRANT and not user.is_superuser:
            return self.filter(dossier__promoter__user=user)
        return super().visible_to(user)

    def recorded(self):
        return self.filter(recorded_at__isnull=False)

    def pending(self):
        return self.filter(recorded_at__isnull=True)


class ResultCheck(models.Model):
    """One milestone of a funded dossier's follow-up: due on a date, recorded by an advisor."""

    # A random key drawn once, never shown: published counts are perturbed from the keys
    # of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    dossier = models.ForeignKey(
        "projects.ProjectDossier", on_delete=models.CASCADE, related_name="result_checks", verbose_name=_("dossier")
    )
    months = models.PositiveSmallIntegerField(
        _("months after funding"), choices=[(months, str(months)) for months in SCHEDULE_MONTHS]
    )
    funded_on = models.DateField(_("funded on"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state of the business"), max_length=12, choices=BusinessState.choices, blank=True)
    jobs_created = models.PositiveSmallIntegerField(_("jobs created"), null=True, blank=True, validators=JOBS_BOUND)
    jobs_women = models.PositiveSmallIntegerField(
        _("of which for women"), null=True, blank=True, validators=JOBS_BOUND
    )
    jobs_youth = models.PositiveSmallIntegerField(
        _("of which for young people"), null=True, blank=True, validators=JOBS_BOUND,
        help_text=_("Young people under 35, women or men."),
    )
    turnover_band = models.CharField(_("yearly turnover"), max_length=12, choices=TurnoverBand.choices, blank=True)
    amount_disbursed = models.PositiveBigIntegerField(_("amount disbursed to date (FCFA)"), null=True, blank=True)
    amount_repaid = models.PositiveBigIntegerField(_("amount repaid to date (FCFA)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ResultCheckQuerySet.as_manager()

    class Meta:
        ordering = ["dossier", "months"]
        verbose_name = _("result check")
        verbose_name_plural = _("result checks")
        indexes = [models.Index(fields=["recorded_at", "due_on"], name="result_check_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "months"], name="result_check_one_per_milestone",
                violation_error_message=_("This dossier already has a check at this milestone."),
            ),
            models.CheckConstraint(condition=Q(months__in=SCHEDULE_MONTHS), name="result_check_months_valid"),
            models.CheckConstraint(
                condition=Q(state="") | Q(state__in=BusinessState.values), name="result_check_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(turnover_band="") | Q(turnover_band__in=TurnoverBand.values),
                name="result_check_turnover_valid",
            ),
            models.CheckConstraint(
                condition=Q(recorded_at__isnull=True) | ~Q(state=""),
                name="result_check_recorded_has_state",
                violation_error_message=_("A recorded check says the state of the business."),
            ),
            models.CheckConstraint(
                condition=Q(jobs_women__isnull=True) | Q(jobs_women__lte=F("jobs_created")),
                name="result_check_women_within_jobs",
                violation_error_message=_("Jobs for women are part of the jobs created."),
            ),
            models.CheckConstraint(
                condition=Q(jobs_youth__isnull=True) | Q(jobs_youth__lte=F("jobs_created")),
                name="result_check_youth_within_jobs",
                violation_error_message=_("Jobs for young people are part of the jobs created."),
            ),
            models.CheckConstraint(
                condition=Q(amount_repaid__isnull=True) | Q(amount_disbursed__isnull=False, amount_repaid__lte=F("amount_disbursed")),
                name="result_check_repaid_within_disbursed",
                violation_error_message=_("The amount repaid cannot exceed the amount disbursed."),
            ),
        ]

    def __str__(self):
        return f"{self.dossier.reference} · {self.months}"

    def get_absolute_url(self):
        return reverse("projects:results", args=[self.dossier_id]) + f"#check-{self.months}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    def clean(self):
        super().clean()
        errors = bound_errors(self, amounts=["amount_disbursed", "amount_repaid"])
        errors |= dates.collect(funded_on=dates.past_event_error(self.funded_on))
        if self.jobs_created is None and (self.jobs_women or self.jobs_youth):
            errors["jobs_created"] = ValidationError(_("Enter the jobs created first."), code="jobs_missing")
        if errors:
            raise ValidationError(errors)
