"""Conventions with partners and their follow-up: parties, budget, contributions and reports.

A ``Convention`` belongs to the office that runs it: staff see their office's, a partner
user sees only the conventions one of their organisations is party to (read-only, except
the reports their organisation owes). Its status moves only along
``partnerships.workflows.CONVENTION_TRANSITIONS``,
each move kept as a ``ConventionTransition``.

Budget: ``ConventionBudgetLine`` (activity, amount) and, per line, each party's
``Contribution`` (cash or in kind, committed and paid); totals are SQL aggregates.

Reporting: a ``ReportingObligation`` says what a party owes and when (once or periodically);
it is unfolded into ``ReportItem`` rows, one per due date. An item is *late* when it is
still due after its date: a derived state (``ReportItemQuerySet.late``), not a stored one,
so no nightly job has to flip it.

Meetings, action items and events live in ``partnerships.events.models``.
"""
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import Role
from hom.amounts import bound_errors
from hom.uploads import MAX_UPLOAD_BYTES
from migrants.models import new_record_key


def is_partner_user(user) -> bool:
    return user.is_authenticated and user.is_active and not user.is_superuser and user.role == Role.PARTNER


def convention_file_path(instance, filename: str) -> str:
    """A random name: nothing of what the uploader called the file reaches the disk."""
    return f"conventions/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NEGOTIATION = "negotiation", _("In negotiation")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


S = ConventionStatus
# The moves of the status: ``partnerships.workflows``.
# Conventions whose commitments run: reports and actions are followed up.
RUNNING_STATUSES = (S.SIGNED, S.ACTIVE, S.SUSPENDED)


class ConventionQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user):
        if is_partner_user(user):
            return self.filter(pk__in=ConventionParty.objects.filter(organisation__partner_users=user).values("convention"))
        return super().visible_to(user)

    def running(self):
        return self.filter(status__in=RUNNING_STATUSES)


class ConventionPartsQuerySet(OfficeScopedQuerySet):
    """Rows of a convention (parties, reports, meetings, actions): seen by whoever sees the convention."""

    office_lookup = "convention__office"

    def visible_to(self, user):
        if is_partner_user(user):
            return self.filter(convention__in=Convention.objects.visible_to(user))
        return super().visible_to(user)


class Convention(models.Model):
    # A random key drawn once, never shown: published counts are perturbed from the keys
    # of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="conventions", verbose_name=_("office")
    )
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(
        _("objectives"), help_text=_("Stated as measurable results: what, how much, by when.")
    )
    status = models.CharField(_("status"), max_length=16, choices=ConventionStatus.choices, default=S.DRAFT)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conventions_followed",
        verbose_name=_("followed by"),
        limit_choices_to={"role__in": [Role.ADVISOR, Role.ADMIN]},
    )
    communes = models.ManyToManyField(
        "territories.Commune", blank=True, related_name="conventions", verbose_name=_("communes concerned")
    )
    signed_document = models.FileField(
        _("signed document"), upload_to=convention_file_path, max_length=200, blank=True
    )
    signed_document_name = models.CharField(_("file name"), max_length=200, blank=True)
    signed_document_type = models.CharField(_("content type"), max_length=120, blank=True)
    dossiers = models.ManyToManyField(
        "projects.ProjectDossier", blank=True, related_name="conventions", verbose_name=_("linked dossiers")
    )
    introductions = models.ManyToManyField(
        "partnerships.Introduction", blank=True, related_name="conventions", verbose_name=_("linked introductions")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ConventionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        indexes = [
            models.Index(fields=["office", "status", "-starts_on"], name="convention_office_status_idx"),
            models.Index(fields=["office", "-starts_on", "title"], name="convention_office_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConventionStatus.values), name="convention_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="convention_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:convention_detail", args=[self.pk])

    def allowed_moves(self) -> tuple[str, ...]:
        from partnerships.workflows import convention_moves

        return convention_moves(self.status)


class ConventionTransition(models.Model):
    """One move of a convention's status: from which to which, by whom, when and why."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("convention")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ConventionStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ConventionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["convention", "created_at", "pk"]
        verbose_name = _("convention status change")
        verbose_name_plural = _("convention status changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="convention_transition_changes_status"
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class PartyRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    CO_FUNDER = "co_funder", _("Co-funder")
    TECHNICAL = "technical", _("Technical partner")
    IMPLEMENTER = "implementer", _("Implementing partner")
    BENEFICIARY = "beneficiary", _("Beneficiary")


class ConventionParty(models.Model):
    """An organisation party to a convention: its role, its written responsibilities, its signature."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="parties", verbose_name=_("convention")
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="convention_parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    responsibilities = models.TextField(_("responsibilities"), help_text=_("What this party commits to do, in writing."))
    signatory_name = models.CharField(_("signatory"), max_length=120, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=120, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ConventionPartsQuerySet.as_manager()

    class Meta:
        ordering = ["convention", "position", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "organisation"], name="convention_party_unique",
                violation_error_message=_("This organisation is already a party to this convention."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartyRole.values), name="convention_party_role_valid",
                violation_error_message=_("Unknown role."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class ConventionBudgetLine(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("convention")
    )
    activity = models.CharField(_("activity"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (FCFA)"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["convention", "position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="convention_budget_line_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self):
        return self.activity

    def clean(self):
        super().clean()
        errors = bound_errors(self, amounts=["amount"])
        if errors:
            raise ValidationError(errors)


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")


class Contribution(models.Model):
    """What one party puts into one budget line: committed, and paid so far (recorded by admins)."""

    budget_line = models.ForeignKey(
        ConventionBudgetLine, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("budget line")
    )
    party = models.ForeignKey(
        ConventionParty, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("party")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ContributionKind.choices, default=ContributionKind.CASH)
    committed = models.PositiveBigIntegerField(_("committed (FCFA)"))
    paid = models.PositiveBigIntegerField(_("paid (FCFA)"), default=0)
    paid_recorded_on = models.DateField(_("payment recorded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["budget_line", "party__position", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_line", "party", "kind"], name="contribution_unique_per_line_party_kind",
                violation_error_message=_("This party already has a contribution of this kind on this line."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContributionKind.values), name="contribution_kind_valid",
                violation_error_message=_("Unknown kind of contribution."),
            ),
            models.CheckConstraint(
                condition=Q(committed__gt=0), name="contribution_committed_positive",
                violation_error_message=_("The committed amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(paid__lte=F("committed")), name="contribution_paid_within_committed",
                violation_error_message=_("The paid amount cannot be more than the committed amount."),
            ),
        ]

    def __str__(self):
        return f"{self.party.organisation}: {self.committed}"

    def clean(self):
        super().clean()
        errors = bound_errors(self, amounts=["committed", "paid"])
        if errors:
            raise ValidationError(errors)


class Periodicity(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


PERIODICITY_MONTHS = {
    Periodicity.ONCE: 0, Periodicity.MONTHLY: 1, Periodicity.QUARTERLY: 3, Periodicity.HALF_YEARLY: 6,
    Periodicity.YEARLY: 12,
}


class ReportingObligation(models.Model):
    """A report a party owes: what, from when, how often, until when."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="reporting_obligations", verbose_name=_("convention")
    )
    party = models.ForeignKey(
        ConventionParty, on_delete=models.CASCADE, related_name="reporting_obligations", verbose_name=_("owed by")
    )
    title = models.CharField(_("report"), max_length=200, help_text=_("e.g. Quarterly technical and financial report"))
    periodicity = models.CharField(_("periodicity"), max_length=12, choices=Periodicity.choices)
    first_due_on = models.DateField(_("first due on"))
    last_due_on = models.DateField(_("last due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["convention", "first_due_on", "pk"]
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")
        constraints = [
            models.CheckConstraint(
                condition=Q(periodicity__in=Periodicity.values), name="reporting_obligation_periodicity_valid",
                violation_error_message=_("Unknown periodicity."),
            ),
            models.CheckConstraint(
                condition=Q(last_due_on__isnull=True) | Q(last_due_on__gte=F("first_due_on")),
                name="reporting_obligation_last_after_first",
                violation_error_message=_("The last due date cannot be before the first."),
            ),
        ]

    def __str__(self):
        return self.title


class ReportItemStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Approved")


class ReportItemQuerySet(ConventionPartsQuerySet):
    def late(self, today=None):
        return self.filter(status=ReportItemStatus.DUE, due_on__lt=today or timezone.localdate())

    def due_within(self, days: int, today=None):
        """Still due, late or falling due in the next ``days`` days."""
        today = today or timezone.localdate()
        return self.filter(status=ReportItemStatus.DUE, due_on__lte=today + timedelta(days=days))


class ReportItem(models.Model):
    """One due report of an obligation, and the file the party uploaded for it."""

    obligation = models.ForeignKey(
        ReportingObligation, on_delete=models.CASCADE, related_name="items", verbose_name=_("obligation")
    )
    # Kept beside the obligation so that lists and the dashboard filter without joins.
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="report_items", verbose_name=_("convention")
    )
    party = models.ForeignKey(
        ConventionParty, on_delete=models.CASCADE, related_name="report_items", verbose_name=_("owed by")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=ReportItemStatus.choices, default=ReportItemStatus.DUE)
    file = models.FileField(_("file"), upload_to=convention_file_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("accepted by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ReportItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("due report")
        verbose_name_plural = _("due reports")
        indexes = [
            models.Index(fields=["status", "due_on"], name="report_item_status_due_idx"),
            models.Index(fields=["convention", "due_on"], name="report_item_convention_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "due_on"], name="report_item_unique_per_date"),
            models.CheckConstraint(
                condition=Q(status__in=ReportItemStatus.values), name="report_item_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(status="due") | ~Q(file=""), name="report_item_submitted_has_file",
                violation_error_message=_("A submitted report needs its file."),
            ),
            models.CheckConstraint(
                condition=Q(size__isnull=True) | Q(size__gt=0, size__lte=MAX_UPLOAD_BYTES),
                name="report_item_size_within_limit",
            ),
        ]

    def __str__(self):
        return f"{self.obligation.title} — {self.due_on}"

    def is_late(self, today=None) -> bool:
        return self.status == ReportItemStatus.DUE and self.due_on < (today or timezone.localdate())
