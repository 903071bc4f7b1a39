"""The funding catalogue: programmes that finance migrants', returnees' and diaspora projects.

The catalogue is national reference data: everybody, even an anonymous visitor, reads
every opportunity; only office administrators and national admins write it, through
``projects.funding.services``. Derived columns (FCFA equivalents, search text and the
PostgreSQL search vector) are computed by ``funding_opportunity_refresh``, never by
``save()``.

Empty eligible sectors, regions, communes, target groups or promoter kinds mean "no
restriction": a programme open to the whole of Senegal lists no region.
"""
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hom import dates
from hom.accounts.access import OfficeScopedQuerySet, ScopedQuerySet
from hom.accounts.models import Role
from hom.amounts import bound_errors
from migrants.models import new_record_key

__all__ = [
    "DEFAULT_EUR_TO_XOF",
    "Currency",
    "FundingStatus",
    "FundingTypeCode",
    "TargetGroupCode",
    "RequiredDocument",
    "FundingType",
    "FundingTargetGroup",
    "FundingOpportunity",
    "ApplicationStatus",
    "FundingApplication",
    "eur_to_xof_rate",
]

# The CFA franc's fixed peg to the euro since 1999.
DEFAULT_EUR_TO_XOF = 655.957


def eur_to_xof_rate() -> float:
    return float(getattr(settings, "EUR_TO_XOF", DEFAULT_EUR_TO_XOF))


class Currency(models.TextChoices):
    XOF = "XOF", _("FCFA (XOF)")
    EUR = "EUR", _("Euro (EUR)")


class FundingStatus(models.TextChoices):
    # Contexts: a dossier is "closed" too, and French says it differently of a call for projects.
    OPEN = "open", pgettext_lazy("funding programme", "Open")
    UPCOMING = "upcoming", pgettext_lazy("funding programme", "Upcoming")
    CLOSED = "closed", pgettext_lazy("funding programme", "Closed")


class FundingTypeCode(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    GUARANTEE = "guarantee", _("Guarantee")
    EQUITY = "equity", _("Equity")
    IN_KIND = "in_kind", _("In kind")
    TRAINING = "training", _("Training")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")


class TargetGroupCode(models.TextChoices):
    # Who the promoter is...
    DIASPORA = "diaspora", _("Diaspora abroad")
    RETURNEES = "returnees", _("Returnees")
    POTENTIAL_MIGRANTS = "potential_migrants", _("Potential migrants")
    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Youth")
    # ... and what kind of promoter applies.
    ASSOCIATIONS = "associations", _("Associations")
    COLLECTIVES = "collectives", _("Collectives and groups")
    COMPANIES = "companies", _("Companies")


class RequiredDocument(models.TextChoices):
    """The document types of the dossier checklist (same codes as the dossiers' DocumentType)."""

    ID = "ID", _("Identity card or passport")
    RESIDENCE = "RESIDENCE", _("Residence certificate")
    NINEA = "NINEA", _("NINEA")
    RCCM = "RCCM", _("Trade register (RCCM)")
    STATUTES = "STATUTES", _("Statutes")
    MINUTES = "MINUTES", _("Minutes of the general assembly")
    BUSINESS_PLAN = "BUSINESS_PLAN", _("Business plan")
    QUOTES = "QUOTES", _("Quotes and pro forma invoices")
    LAND = "LAND", _("Land title or lease")


def validate_document_codes(value):
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Required documents must be a list of document codes."))
    unknown = sorted(set(value) - set(RequiredDocument.values))
    if unknown:
        raise ValidationError(_("Unknown document codes: %(codes)s."), params={"codes": ", ".join(unknown)})


class FundingType(models.Model):
    """One of the fixed kinds of support; a table so that filtering is a join on every database."""

    code = models.CharField(_("code"), max_length=24, unique=True, choices=FundingTypeCode.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("funding type")
        verbose_name_plural = _("funding types")
        constraints = [
            models.CheckConstraint(condition=Q(code__in=FundingTypeCode.values), name="funding_type_code_valid"),
        ]

    def __str__(self):
        return self.get_code_display()


class FundingTargetGroup(models.Model):
    code = models.CharField(_("code"), max_length=24, unique=True, choices=TargetGroupCode.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.CheckConstraint(condition=Q(code__in=TargetGroupCode.values), name="funding_target_group_valid"),
        ]

    def __str__(self):
        return self.get_code_display()


class FundingOpportunityQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        # The catalogue is public: it holds no personal data.
        return self.all()

    def with_relations(self):
        return self.prefetch_related(
            "types",
            "target_groups",
            "eligible_sectors",
            "excluded_sectors",
            "eligible_regions",
            "eligible_communes__department__region",
        )


class FundingOpportunity(models.Model):
    # Who funds what
    # Name, funder and description are in French, the office's language; the English, where the
    # programme has one, is kept beside them and shown on English pages (``shown_*``).
    name = models.CharField(_("programme name"), max_length=200, unique=True)
    name_en = models.CharField(_("programme name in English"), max_length=200, blank=True)
    funder_name = models.CharField(
        _("funder"), max_length=300, help_text=_("The organisation that funds or runs the programme.")
    )
    funder_name_en = models.CharField(_("funder in English"), max_length=300, blank=True)
    types = models.ManyToManyField(FundingType, related_name="opportunities", verbose_name=_("types of support"))
    target_groups = models.ManyToManyField(
        FundingTargetGroup,
        blank=True,
        related_name="opportunities",
        verbose_name=_("target groups"),
        help_text=_("Leave empty when the programme is open to everyone."),
    )
    youth_min_age = models.PositiveSmallIntegerField(_("youth: minimum age"), null=True, blank=True)
    youth_max_age = models.PositiveSmallIntegerField(_("youth: maximum age"), null=True, blank=True)
    eligible_sectors = models.ManyToManyField(
        "territories.Sector",
        blank=True,
        related_name="funding_opportunities",
        verbose_name=_("eligible sectors"),
        help_text=_("Leave empty when every sector is eligible."),
    )
    excluded_sectors = models.ManyToManyField(
        "territories.Sector", blank=True, related_name="funding_exclusions", verbose_name=_("excluded sectors")
    )
    eligible_regions = models.ManyToManyField(
        "territories.Region",
        blank=True,
        related_name="funding_opportunities",
        verbose_name=_("eligible regions"),
        help_text=_("Leave regions and communes empty when the whole of Senegal is eligible."),
    )
    eligible_communes = models.ManyToManyField(
        "territories.Commune", blank=True, related_name="funding_opportunities", verbose_name=_("eligible communes")
    )
    # Amounts and rules
    amount_min = models.PositiveBigIntegerField(_("minimum amount"), null=True, blank=True)
    amount_max = models.PositiveBigIntegerField(_("maximum amount"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.XOF)
    amount_min_xof = models.PositiveBigIntegerField(_("minimum amount in FCFA"), null=True, blank=True, editable=False)
    amount_max_xof = models.PositiveBigIntegerField(_("maximum amount in FCFA"), null=True, blank=True, editable=False)
    max_share_funded_percent = models.PositiveSmallIntegerField(
        _("maximum share of the project funded (%)"), null=True, blank=True
    )
    min_own_contribution_percent = models.PositiveSmallIntegerField(
        _("minimum own contribution (%)"), null=True, blank=True
    )
    required_documents = models.JSONField(
        _("required documents"), default=list, blank=True, validators=[validate_document_codes]
    )
    # Calendar
    status = models.CharField(
        _("status"), max_length=12, choices=FundingStatus.choices, default=FundingStatus.OPEN
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    is_rolling = models.BooleanField(_("rolling (no deadline)"), default=False)
    # Where it comes from
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    notes = models.TextField(_("sources and notes"), blank=True, help_text=_("Uncertainties, dates of the sources."))
    notes_en = models.TextField(_("sources and notes in English"), blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    keywords = models.CharField(
        _("search keywords"),
        max_length=300,
        blank=True,
        help_text=_("Words people may search for, e.g. the activities funded: aviculture, couture."),
    )
    # Search (derived, refreshed by funding_opportunity_refresh)
    search_terms = models.TextField(_("search terms"), blank=True, editable=False)
    search_text = models.TextField(_("normalised search text"), blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FundingOpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "name"]
        verbose_name = _("funding opportunity")
        verbose_name_plural = _("funding opportunities")
        indexes = [
            # The list without a query: open now (status + deadline), then ORDER BY deadline, name.
            models.Index(fields=["status", "deadline", "name"], name="funding_status_deadline_idx"),
            models.Index(fields=["deadline", "name"], name="funding_deadline_name_idx"),
            models.Index(fields=["amount_min_xof", "amount_max_xof"], name="funding_amount_xof_idx"),
            # Full-text search on PostgreSQL (migration 0003 creates it only there).
            GinIndex(fields=["search_vector"], name="funding_search_vector_gin"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FundingStatus.values), name="funding_status_valid"),
            models.CheckConstraint(condition=Q(currency__in=Currency.values), name="funding_currency_valid"),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=models.F("amount_max")),
                name="funding_amount_min_lte_max",
                violation_error_message=_("The minimum amount cannot exceed the maximum amount."),
            ),
            models.CheckConstraint(
                condition=Q(max_share_funded_percent__isnull=True)
                | Q(max_share_funded_percent__gte=1, max_share_funded_percent__lte=100),
                name="funding_max_share_percent_range",
                violation_error_message=_("The share funded is a percentage between 1 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(min_own_contribution_percent__isnull=True) | Q(min_own_contribution_percent__lte=100),
                name="funding_own_contribution_percent_range",
                violation_error_message=_("The own contribution is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(youth_min_age__isnull=True)
                | Q(youth_max_age__isnull=True)
                | Q(youth_min_age__lte=models.F("youth_max_age")),
                name="funding_youth_ages_ordered",
                violation_error_message=_("The youth minimum age cannot exceed the maximum age."),
            ),
            models.CheckConstraint(
                condition=Q(is_rolling=False) | Q(deadline__isnull=True),
                name="funding_rolling_has_no_deadline",
                violation_error_message=_("A rolling programme has no deadline."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("funding:detail", args=[self.pk])

    def _shown(self, field: str) -> str:
        """The French text, or its English translation on an English page when there is one."""
        if (translation.get_language() or "").startswith("en"):
            return getattr(self, f"{field}_en") or getattr(self, field)
        return getattr(self, field)

    @property
    def shown_name(self) -> str:
        return self._shown("name")

    @property
    def shown_funder_name(self) -> str:
        return self._shown("funder_name")

    @property
    def shown_description(self) -> str:
        return self._shown("description")

    @property
    def shown_notes(self) -> str:
        return self._shown("notes")

    @property
    def required_own_contribution_percent(self) -> int | None:
        """The stricter of the two ways funders state the rule."""
        candidates = [self.min_own_contribution_percent]
        if self.max_share_funded_percent is not None:
            candidates.append(100 - self.max_share_funded_percent)
        known = [value for value in candidates if value is not None]
        return max(known) if known else None

    def get_required_documents_display(self) -> list[str]:
        labels = dict(RequiredDocument.choices)
        return [str(labels.get(code, code)) for code in self.required_documents]


class ApplicationStatus(models.TextChoices):
    # In French an application ("candidature") is feminine, a dossier masculine: hence contexts.
    PLANNED = "planned", pgettext_lazy("funding application", "Planned")
    SUBMITTED = "submitted", pgettext_lazy("funding application", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("funding application", "Accepted")
    REFUSED = "refused", pgettext_lazy("funding application", "Refused")
    DISBURSED = "disbursed", pgettext_lazy("funding application", "Disbursed")


# Applications still waiting on the promoter or the funder: the reminders follow them.
SHORTLISTED_STATUSES = (ApplicationStatus.PLANNED, ApplicationStatus.SUBMITTED)
GRANTED_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.DISBURSED)


class FundingApplicationQuerySet(OfficeScopedQuerySet):
    """Scoped like its dossier: the office's staff, and the promoter for their own dossiers."""

    office_lookup = "dossier__office"

    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.role == Role.MIGRANT and not user.is_superuser:
            return self.filter(dossier__promoter__user=user)
        return super().visible_to(user)


class FundingApplication(models.Model):
    """One dossier presented (or about to be) to one programme, and what came of it.

    Moves go through ``projects.funding.services.funding_application_move``, which checks who may
    record what: the amounts granted and disbursed feed the reports.
    """

    # A random key drawn once, never shown: published counts are perturbed from the keys
    # of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    dossier = models.ForeignKey(
        "projects.ProjectDossier",
        on_delete=models.CASCADE,
        related_name="funding_applications",
        verbose_name=_("dossier"),
    )
    opportunity = models.ForeignKey(
        FundingOpportunity, on_delete=models.PROTECT, related_name="applications", verbose_name=_("programme")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.PLANNED
    )
    amount_requested = models.PositiveBigIntegerField(_("amount requested (FCFA)"), null=True, blank=True)
    amount_granted = models.PositiveBigIntegerField(_("amount granted (FCFA)"), null=True, blank=True)
    amount_disbursed = models.PositiveBigIntegerField(_("amount disbursed (FCFA)"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shortlisted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FundingApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")
        indexes = [
            # The office list (filtered by status, newest first) and a dossier's own list.
            models.Index(fields=["status", "-updated_at"], name="application_status_idx"),
            models.Index(fields=["dossier", "-updated_at"], name="application_dossier_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "opportunity"],
                name="application_one_per_dossier_and_programme",
                violation_error_message=_("This programme is already on the dossier's list."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.PLANNED) | Q(submitted_on__isnull=False),
                name="application_submitted_has_date",
                violation_error_message=_("A submitted application has a submission date."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=GRANTED_STATUSES) | Q(amount_granted__isnull=False, decided_on__isnull=False),
                name="application_granted_has_amount",
                violation_error_message=_("An accepted application has an amount granted and a decision date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.DISBURSED)
                | Q(amount_disbursed__isnull=False, disbursed_on__isnull=False),
                name="application_disbursed_has_amount",
                violation_error_message=_("A disbursement has an amount and a date."),
            ),
            models.CheckConstraint(
                condition=Q(amount_disbursed__isnull=True)
                | Q(amount_granted__isnull=False, amount_disbursed__lte=models.F("amount_granted")),
                name="application_disbursed_within_granted",
                violation_error_message=_("The amount disbursed cannot exceed the amount granted."),
            ),
        ]

    def __str__(self):
        return f"{self.dossier.reference} → {self.opportunity.name}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.dossier_id]) + "#applications"

    def clean(self):
        super().clean()
        errors = bound_errors(self, amounts=["amount_requested", "amount_granted", "amount_disbursed"])
        errors |= dates.collect(
            submitted_on=dates.past_event_error(self.submitted_on),
            decided_on=dates.past_event_error(self.decided_on),
            disbursed_on=dates.past_event_error(self.disbursed_on),
        )
        if "decided_on" not in errors and self.submitted_on and self.decided_on and self.decided_on < self.submitted_on:
            errors["decided_on"] = ValidationError(
                _("The decision cannot be dated before the application was filed."), code="before_filing"
            )
        if (
            "disbursed_on" not in errors and self.decided_on and self.disbursed_on
            and self.disbursed_on < self.decided_on
        ):
            errors["disbursed_on"] = ValidationError(
                _("The disbursement cannot be dated before the decision."), code="before_decision"
            )
        if errors:
            raise ValidationError(errors)
