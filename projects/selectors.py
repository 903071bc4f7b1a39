"""Reads on dossiers: scoped lists with their totals, the checklist, readiness, allowed moves.

Money totals are sums computed by the database (one subquery per total, so a list of
dossiers costs the same number of queries whatever its length).
"""
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hom.accounts.access import get_visible_or_404
from hom.accounts.models import Role, User

from .models import (
    BudgetLine,
    DocumentType,
    DossierDocument,
    DossierStatus,
    FinancingLine,
    FinancingSource,
    ProjectDossier,
)

# Funders want the promoter to put in some of their own money (FAISE, PRA/OSIM: 10 % and more).
MIN_OWN_CONTRIBUTION_PERCENT = 10

SOUGHT_SOURCES = (FinancingSource.LOAN, FinancingSource.GRANT, FinancingSource.OTHER)

# Which role may make which move. "migrant" is the promoter of the dossier itself.
MIGRANT, ADVISOR, ADMIN = "migrant", "advisor", "admin"
STAFF = frozenset({ADVISOR, ADMIN})
TRANSITIONS: dict[tuple[str, str], frozenset] = {
    (DossierStatus.DRAFT, DossierStatus.SUBMITTED): frozenset({MIGRANT}),
    (DossierStatus.CHANGES_REQUESTED, DossierStatus.SUBMITTED): frozenset({MIGRANT}),
    (DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW): STAFF,
    (DossierStatus.SUBMITTED, DossierStatus.CHANGES_REQUESTED): STAFF,
    (DossierStatus.IN_REVIEW, DossierStatus.CHANGES_REQUESTED): STAFF,
    (DossierStatus.SUBMITTED, DossierStatus.READY): STAFF,
    (DossierStatus.IN_REVIEW, DossierStatus.READY): STAFF,
    (DossierStatus.READY, DossierStatus.CHANGES_REQUESTED): STAFF,
    (DossierStatus.READY, DossierStatus.SENT_TO_FUNDER): STAFF,
    (DossierStatus.SENT_TO_FUNDER, DossierStatus.FUNDED): frozenset({ADMIN}),
    (DossierStatus.SENT_TO_FUNDER, DossierStatus.NOT_FUNDED): frozenset({ADMIN}),
    (DossierStatus.FUNDED, DossierStatus.IN_IMPLEMENTATION): frozenset({ADMIN}),
    (DossierStatus.IN_IMPLEMENTATION, DossierStatus.CLOSED): frozenset({ADMIN}),
    (DossierStatus.NOT_FUNDED, DossierStatus.CLOSED): frozenset({ADMIN}),
    **{
        (status, DossierStatus.WITHDRAWN): frozenset({MIGRANT})
        for status in (
            DossierStatus.DRAFT,
            DossierStatus.SUBMITTED,
            DossierStatus.IN_REVIEW,
            DossierStatus.CHANGES_REQUESTED,
            DossierStatus.READY,
        )
    },
}
# What the button says for each move (the status names describe, these act).
ACTION_LABELS = {
    DossierStatus.SUBMITTED: _("Submit the dossier to the office"),
    DossierStatus.IN_REVIEW: _("Start the review"),
    DossierStatus.CHANGES_REQUESTED: _("Ask the promoter for changes"),
    DossierStatus.READY: _("Mark ready for a funder"),
    DossierStatus.SENT_TO_FUNDER: _("Record: sent to a funder"),
    DossierStatus.FUNDED: _("Record the funder's decision: funded"),
    DossierStatus.NOT_FUNDED: _("Record the funder's decision: not funded"),
    DossierStatus.IN_IMPLEMENTATION: _("Record: implementation started"),
    DossierStatus.CLOSED: _("Close the dossier"),
    DossierStatus.WITHDRAWN: _("Withdraw my dossier"),
}
# Moves that need a balanced financing plan, and moves that need a comment.
NEEDS_BALANCED_PLAN = frozenset({DossierStatus.SUBMITTED, DossierStatus.READY})
NEEDS_COMMENT = frozenset({DossierStatus.CHANGES_REQUESTED})
# Moves that need every required document of the checklist: a funder receives the dossier complete.
NEEDS_REQUIRED_DOCUMENTS = frozenset({DossierStatus.READY})

MIGRANT_EDITABLE = frozenset({DossierStatus.DRAFT, DossierStatus.CHANGES_REQUESTED})
STAFF_EDITABLE = frozenset(
    {
        DossierStatus.DRAFT,
        DossierStatus.SUBMITTED,
        DossierStatus.IN_REVIEW,
        DossierStatus.CHANGES_REQUESTED,
        DossierStatus.READY,
    }
)


def _sum_of(model, **filters):
    rows = (
        model.objects.filter(dossier=OuterRef("pk"), **filters)
        .order_by()
        .values("dossier")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


def with_totals(queryset):
    """Annotate budget, financing, own-contribution totals and the amount sought from funders."""
    return queryset.annotate(
        budget_total=_sum_of(BudgetLine),
        financing_total=_sum_of(FinancingLine),
        own_total=_sum_of(FinancingLine, source=FinancingSource.OWN),
        amount_sought=_sum_of(FinancingLine, source__in=SOUGHT_SOURCES),
    )


def dossier_list(*, user):
    return with_totals(
        ProjectDossier.objects.visible_to(user).select_related("promoter", "sector", "commune", "advisor", "office")
    )


def review_queue(*, user):
    """Submitted and in-review dossiers of the user's office, the longest waiting first."""
    return (
        ProjectDossier.objects.visible_to(user)
        .filter(status__in=[DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW])
        .select_related("promoter", "sector", "commune", "advisor")
        .order_by("submitted_at", "pk")
    )


def dossier_get(*, user, pk):
    return get_visible_or_404(
        with_totals(ProjectDossier.objects.select_related("promoter", "sector", "commune", "advisor", "office")),
        user,
        pk=pk,
    )


def dossier_totals(dossier: ProjectDossier) -> dict:
    return with_totals(ProjectDossier.objects.filter(pk=dossier.pk)).values(
        "budget_total", "financing_total", "own_total", "amount_sought"
    ).get()


def required_document_types(dossier: ProjectDossier):
    """The active document types whose active rules match the dossier's kind, sector and stage."""
    matching = Q(requirements__is_active=True)
    matching &= Q(requirements__kind="") | Q(requirements__kind=dossier.kind)
    matching &= Q(requirements__stage="") | Q(requirements__stage=dossier.stage)
    matching &= Q(requirements__sector__isnull=True) | Q(requirements__sector=dossier.sector_id)
    return DocumentType.objects.active().filter(matching).distinct().order_by("position", "code")


def missing_required_documents(dossier: ProjectDossier) -> list[DocumentType]:
    """The required document types of which the dossier has no current version."""
    present = DossierDocument.objects.filter(dossier=dossier, is_current=True).values("document_type")
    return list(required_document_types(dossier).exclude(pk__in=present))


def current_documents(dossier: ProjectDossier) -> dict[int, DossierDocument]:
    """The current version of each document of the dossier, by document type id."""
    return {
        document.document_type_id: document
        for document in DossierDocument.objects.filter(dossier=dossier, is_current=True).select_related("document_type")
    }


@dataclass
class Readiness:
    score: int
    missing: list = field(default_factory=list)


def dossier_readiness(dossier: ProjectDossier) -> Readiness:
    """How complete the dossier is (0-100) and the plain-language list of what is missing."""
    checks = [
        (bool(dossier.title.strip()), _("a project title")),
        (bool(dossier.summary.strip()), _("a summary of the idea")),
        (dossier.sector_id is not None, _("the sector")),
        (dossier.commune_id is not None, _("the commune where the project takes place")),
        (bool(dossier.market.strip()), _("the market and the customers")),
        (bool(dossier.team.strip()), _("the team and its experience")),
        (dossier.jobs_total > 0, _("the jobs the project will create")),
        (dossier.expected_start is not None, _("the expected start date")),
    ]
    totals = dossier_totals(dossier)
    budget = totals["budget_total"]
    checks += [
        (budget > 0, _("at least one budget line")),
        (budget > 0 and totals["financing_total"] == budget, _("a financing plan that balances the budget")),
        (
            budget > 0 and totals["own_total"] * 100 >= budget * MIN_OWN_CONTRIBUTION_PERCENT,
            _("an own contribution of at least %(percent)s %% of the budget") % {"percent": MIN_OWN_CONTRIBUTION_PERCENT},
        ),
    ]
    present = current_documents(dossier)
    for document_type in required_document_types(dossier):
        checks.append((document_type.pk in present, document_type.label))
    done = sum(1 for ok, _label in checks if ok)
    return Readiness(score=done * 100 // len(checks), missing=[label for ok, label in checks if not ok])


def plan_is_balanced(dossier: ProjectDossier) -> bool:
    totals = dossier_totals(dossier)
    return totals["budget_total"] > 0 and totals["financing_total"] == totals["budget_total"]


def dossier_role_of(dossier: ProjectDossier, user) -> str | None:
    """The part ``user`` plays on this dossier: its promoter, an advisor or an admin, or none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.MIGRANT and not user.is_superuser:
        return MIGRANT if dossier.promoter.user_id == user.pk else None
    if not ProjectDossier.objects.visible_to(user).filter(pk=dossier.pk).exists():
        return None
    if user.is_superuser or user.role == Role.ADMIN:
        return ADMIN
    return ADVISOR if user.role == Role.ADVISOR else None


def dossier_can_edit(dossier: ProjectDossier, user) -> bool:
    """A migrant edits a draft or a dossier sent back to them; staff until it goes to a funder."""
    role = dossier_role_of(dossier, user)
    if role == MIGRANT:
        return dossier.status in MIGRANT_EDITABLE
    return role in STAFF and dossier.status in STAFF_EDITABLE


def allowed_transitions(dossier: ProjectDossier, user) -> list[str]:
    role = dossier_role_of(dossier, user)
    return [to for (source, to), roles in TRANSITIONS.items() if source == dossier.status and role in roles]


def advisors_of_office(office_id):
    return User.objects.filter(office_id=office_id, role__in=[Role.ADVISOR, Role.ADMIN], is_active=True)
