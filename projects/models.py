"""Project dossiers: what a migrant wants to build, what it costs, who pays, and where it stands.

A dossier belongs to the office of its promoter. Its money is in rows (budget lines,
financing lines) whose totals are computed by the database (see ``selectors``); its
papers are versioned uploads checked against a checklist that office admins edit
(``DocumentType`` and ``DocumentRequirement``). Every status change is a
``DossierTransition`` row, and simple-history keeps every version of the dossier.
"""
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hom import dates
from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import Role
from hom.amounts import MAX_AMOUNT, TOO_LARGE_MESSAGE, bound_errors
from hom.territories.models import LabelledReference
from hom.uploads import MAX_UPLOAD_BYTES
from migrants.models import new_record_key


class DossierKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    COLLECTIVE = "collective", _("Collective")
    COMMUNITY = "community", _("Community")


class DossierStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    STUDY = "study", _("Study")
    START_UP = "start_up", _("Start-up")
    EXTENSION = "extension", _("Extension")


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    READY = "ready", _("Ready")
    SENT_TO_FUNDER = "sent_to_funder", _("Sent to funder")
    FUNDED = "funded", _("Funded")
    NOT_FUNDED = "not_funded", _("Not funded")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DossierSection(models.TextChoices):
    """The steps of the guided form, which are also the sections an advisor comments on."""

    IDEA = "idea", _("Idea")
    MARKET = "market", _("Market")
    TEAM = "team", _("Team")
    BUDGET = "budget", _("Budget and financing")
    DOCUMENTS = "documents", _("Documents")


class BudgetCategory(models.TextChoices):
    INVESTMENT = "investment", _("Investment")
    WORKING_CAPITAL = "working_capital", _("Working capital")


class FinancingSource(models.TextChoices):
    OWN = "own", _("Own contribution")
    DIASPORA = "diaspora", _("Diaspora contribution")
    LOAN = "loan", _("Loan")
    GRANT = "grant", _("Grant")
    OTHER = "other", _("Other")


class ProjectDossierQuerySet(OfficeScopedQuerySet):
    """Staff see their office's dossiers; a migrant the dossiers they promote."""

    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.role == Role.MIGRANT and not user.is_superuser:
            return self.filter(promoter__user=user)
        return super().visible_to(user)


class ProjectDossier(models.Model):
    # A random key drawn once, never shown: published counts are perturbed from the keys
    # of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("office")
    )
    promoter = models.ForeignKey(
        "migrants.Migrant", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("promoter")
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_dossiers",
        verbose_name=_("advisor"),
    )
    # Idea
    title = models.CharField(_("project title"), max_length=160)
    summary = models.TextField(_("summary"), blank=True)
    sector = models.ForeignKey(
        "territories.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("sector"),
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("commune of implementation"),
    )
    kind = models.CharField(_("kind of project"), max_length=16, choices=DossierKind.choices, default=DossierKind.INDIVIDUAL)
    stage = models.CharField(_("stage"), max_length=16, choices=DossierStage.choices, default=DossierStage.IDEA)
    # Market and team
    market = models.TextField(_("market and customers"), blank=True)
    team = models.TextField(_("team and experience"), blank=True)
    jobs_women = models.PositiveSmallIntegerField(_("jobs for women"), default=0)
    jobs_men = models.PositiveSmallIntegerField(_("jobs for men"), default=0)
    jobs_youth = models.PositiveSmallIntegerField(
        _("of which jobs for young people"), default=0, help_text=_("Young people under 35, women or men.")
    )
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    # Workflow
    status = models.CharField(
        _("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Kept by the services after every change, so that lists can filter and sort on it.
    readiness = models.PositiveSmallIntegerField(_("readiness (%)"), default=0)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ProjectDossierQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("project dossier")
        verbose_name_plural = _("project dossiers")
        indexes = [
            models.Index(fields=["office", "-updated_at"], name="dossier_office_updated_idx"),
            models.Index(fields=["office", "status", "submitted_at"], name="dossier_office_queue_idx"),
            models.Index(fields=["promoter", "-updated_at"], name="dossier_promoter_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DossierStatus.values), name="dossier_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=DossierKind.values), name="dossier_kind_valid"),
            models.CheckConstraint(condition=Q(stage__in=DossierStage.values), name="dossier_stage_valid"),
            models.CheckConstraint(
                condition=Q(readiness__lte=100), name="dossier_readiness_percent",
                violation_error_message=_("Readiness is a percentage."),
            ),
            models.CheckConstraint(
                condition=Q(jobs_youth__lte=F("jobs_women") + F("jobs_men")),
                name="dossier_youth_jobs_within_total",
                violation_error_message=_("Jobs for young people are part of the jobs for women and men."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[DossierStatus.DRAFT, DossierStatus.WITHDRAWN]) | Q(submitted_at__isnull=False),
                name="dossier_submitted_has_date",
                violation_error_message=_("A dossier past the draft stage has a submission date."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = dates.collect(expected_start=dates.within_years_error(self.expected_start, dates.PROJECT_START_YEARS))
        if errors:
            raise ValidationError(errors)

    @property
    def jobs_total(self) -> int:
        return self.jobs_women + self.jobs_men

    @property
    def is_draft(self) -> bool:
        """Still with its promoter, never submitted (pages say so without naming the status)."""
        return self.status == DossierStatus.DRAFT


class BudgetLine(models.Model):
    dossier = models.ForeignKey(
        ProjectDossier, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("dossier")
    )
    category = models.CharField(
        _("category"), max_length=16, choices=BudgetCategory.choices, default=BudgetCategory.INVESTMENT
    )
    label = models.CharField(_("item"), max_length=160)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_cost = models.PositiveBigIntegerField(_("unit cost (FCFA)"))
    # Computed by the database, so that totals are sums of stored amounts.
    amount = models.GeneratedField(
        expression=F("quantity") * F("unit_cost"),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("amount (FCFA)"),
    )
    has_quote = models.BooleanField(_("quote attached"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["dossier", "category", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(category__in=BudgetCategory.values), name="budget_line_category_valid"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="budget_line_quantity_positive",
                violation_error_message=_("The quantity must be at least 1."),
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        errors = bound_errors(self, amounts=["unit_cost"], quantities=["quantity"])
        if not errors and self.quantity and self.unit_cost and self.quantity * self.unit_cost > MAX_AMOUNT:
            errors["unit_cost"] = ValidationError(TOO_LARGE_MESSAGE, code="max_value")
        if errors:
            raise ValidationError(errors)


class FinancingLine(models.Model):
    dossier = models.ForeignKey(
        ProjectDossier, on_delete=models.CASCADE, related_name="financing_lines", verbose_name=_("dossier")
    )
    source = models.CharField(_("source"), max_length=16, choices=FinancingSource.choices)
    label = models.CharField(_("details"), max_length=160, blank=True, help_text=_("e.g. the name of the bank"))
    amount = models.PositiveBigIntegerField(_("amount (FCFA)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["dossier", "source", "pk"]
        verbose_name = _("financing line")
        verbose_name_plural = _("financing lines")
        constraints = [
            models.CheckConstraint(condition=Q(source__in=FinancingSource.values), name="financing_line_source_valid"),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="financing_line_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.label}".strip()

    def clean(self):
        super().clean()
        errors = bound_errors(self, amounts=["amount"])
        if errors:
            raise ValidationError(errors)


class DocumentType(LabelledReference):
    """A kind of paper funders ask for (codes ID, RESIDENCE, NINEA...). Office admins edit them."""

    help_fr = models.CharField(_("help (French)"), max_length=240, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=240, blank=True)

    class Meta(LabelledReference.Meta):
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class DocumentRequirement(models.Model):
    """A checklist rule: this document is required for dossiers of this kind, sector and stage.

    An empty kind, sector or stage means "any". A dossier needs every document type of
    the active rules that match it.
    """

    document_type = models.ForeignKey(
        DocumentType, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("document type")
    )
    kind = models.CharField(_("kind of project"), max_length=16, choices=DossierKind.choices, blank=True)
    sector = models.ForeignKey(
        "territories.Sector",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_requirements",
        verbose_name=_("sector"),
    )
    stage = models.CharField(_("stage"), max_length=16, choices=DossierStage.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["document_type__position", "kind", "stage", "pk"]
        verbose_name = _("required document rule")
        verbose_name_plural = _("required document rules")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "kind", "stage"],
                condition=Q(sector__isnull=True),
                name="requirement_unique_any_sector",
                violation_error_message=_("This rule already exists."),
            ),
            models.UniqueConstraint(
                fields=["document_type", "kind", "stage", "sector"],
                name="requirement_unique_with_sector",
                violation_error_message=_("This rule already exists."),
            ),
            models.CheckConstraint(
                condition=Q(kind="") | Q(kind__in=DossierKind.values), name="requirement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(stage="") | Q(stage__in=DossierStage.values), name="requirement_stage_valid"
            ),
        ]

    def __str__(self):
        return str(self.document_type)


def dossier_document_path(instance, filename: str) -> str:
    """A random name: nothing of what the uploader called the file reaches the disk."""
    return f"dossiers/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class DossierDocumentQuerySet(OfficeScopedQuerySet):
    office_lookup = "dossier__office"

    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.role == Role.MIGRANT and not user.is_superuser:
            return self.filter(dossier__promoter__user=user)
        return super().visible_to(user)

    def current(self):
        return self.filter(is_current=True)


class DossierDocument(models.Model):
    """One version of one document of a dossier. Replacing it adds a version; the old one stays."""

    dossier = models.ForeignKey(
        ProjectDossier, on_delete=models.CASCADE, related_name="documents", verbose_name=_("dossier")
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="documents", verbose_name=_("document type")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    file = models.FileField(_("file"), upload_to=dossier_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DossierDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["dossier", "document_type__position", "-version"]
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "document_type", "version"], name="document_version_unique"),
            models.UniqueConstraint(
                fields=["dossier", "document_type"], condition=Q(is_current=True), name="document_one_current"
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0, size__lte=MAX_UPLOAD_BYTES), name="document_size_within_limit"
            ),
        ]

    def __str__(self):
        return f"{self.document_type} v{self.version}"

    def get_absolute_url(self):
        return reverse("projects:document", args=[self.pk])


class DossierTransition(models.Model):
    """One move of the workflow: who moved the dossier from which status to which, when and why."""

    dossier = models.ForeignKey(
        ProjectDossier, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("dossier")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=DossierStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=DossierStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "created_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="transition_changes_status"),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReviewComment(models.Model):
    """An advisor's remark on one section of a dossier."""

    dossier = models.ForeignKey(
        ProjectDossier, on_delete=models.CASCADE, related_name="review_comments", verbose_name=_("dossier")
    )
    section = models.CharField(_("section"), max_length=16, choices=DossierSection.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["dossier", "section", "created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            models.CheckConstraint(condition=Q(section__in=DossierSection.values), name="review_comment_section_valid"),
        ]

    def __str__(self):
        return f"{self.get_section_display()}: {self.body[:40]}"


# The funding catalogue lives in its own package; importing its models here registers them
# with the ``projects`` app (same app label, same migrations).
from projects.funding.models import (  # noqa: E402
    FundingApplication,
    FundingOpportunity,
    FundingTargetGroup,
    FundingType,
)
from projects.results.models import ResultCheck  # noqa: E402

__all__ = [
    "FundingApplication",
    "FundingOpportunity",
    "FundingTargetGroup",
    "FundingType",
    "ResultCheck",
]
