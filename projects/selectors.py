"""Reads on dossiers: scoped lists with their totals, the checklist, readiness, allowed moves.

Money totals are sums computed by the database (one subquery per total, so a list of
dossiers costs the same number of queries whatever its length).
"""
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hom.accounts.access import get_visible_or_404
from hom.accounts.models import Role, User
from migrants.selectors import migrants_visible_to
from migrants.services import erased_record_refusal

from . import caches, workflows
from .models import (
    BudgetLine,
    DocumentType,
    DossierDocument,
    DossierSection,
    DossierStatus,
    FinancingLine,
    FinancingSource,
    ProjectDossier,
)

# Funders want the promoter to put in some of their own money (FAISE, PRA/OSIM: 10 % and more).
MIN_OWN_CONTRIBUTION_PERCENT = 10

SOUGHT_SOURCES = (FinancingSource.LOAN, FinancingSource.GRANT, FinancingSource.OTHER)

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
        .filter(status__in=workflows.IN_REVIEW_QUEUE)
        .select_related("promoter", "sector", "commune", "advisor")
        .order_by("submitted_at", "pk")
    )


def dossier_get(*, user, pk):
    """The dossier with its totals, its promoter, sector, commune (and region: the funding rules read
    it), advisor and office, in one query."""
    return get_visible_or_404(
        with_totals(
            ProjectDossier.objects.select_related(
                "promoter", "sector", "commune__department__region", "advisor", "office"
            )
        ),
        user,
        pk=pk,
    )


TOTALS = ("budget_total", "financing_total", "own_total", "amount_sought")


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


def annotated_totals(dossier: ProjectDossier) -> dict:
    """The totals ``with_totals`` annotated on ``dossier`` when it was read (``dossier_get``):
    for a page that changes nothing before it shows them."""
    return {name: getattr(dossier, name) for name in TOTALS}


def dossier_readiness(
    dossier: ProjectDossier, *, totals: dict | None = None, current: list[DossierDocument] | None = None
) -> Readiness:
    """How complete the dossier is (0-100) and the plain-language list of what is missing.

    ``totals`` (``annotated_totals``) and ``current`` (the dossier's current documents) spare
    their queries when the caller has read them already; the checklist's rules come from the
    cache (``caches.required_documents``).
    """
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
    totals = dossier_totals(dossier) if totals is None else totals
    budget = totals["budget_total"]
    checks += [
        (budget > 0, _("at least one budget line")),
        (budget > 0 and totals["financing_total"] == budget, _("a financing plan that balances the budget")),
        (
            budget > 0 and totals["own_total"] * 100 >= budget * MIN_OWN_CONTRIBUTION_PERCENT,
            _("an own contribution of at least %(percent)s %% of the budget") % {"percent": MIN_OWN_CONTRIBUTION_PERCENT},
        ),
    ]
    if current is None:
        present = set(current_documents(dossier))
    else:
        present = {document.document_type_id for document in current}
    for type_id, label in caches.required_documents(kind=dossier.kind, stage=dossier.stage, sector_id=dossier.sector_id):
        checks.append((type_id in present, label))
    done = sum(1 for ok, _label in checks if ok)
    return Readiness(score=done * 100 // len(checks), missing=[label for ok, label in checks if not ok])


def plan_is_balanced(dossier: ProjectDossier) -> bool:
    totals = dossier_totals(dossier)
    return totals["budget_total"] > 0 and totals["financing_total"] == totals["budget_total"]


# "Not given": the role is then worked out (``None`` is a role, the part of nobody).
UNKNOWN = object()


def dossier_role_of(dossier: ProjectDossier, user, *, visible: bool = False) -> str | None:
    """The part ``user`` plays on this dossier: its promoter, an advisor or an admin, or none.

    ``visible=True`` when the dossier was read through ``visible_to(user)`` (``dossier_get``):
    staff then see it, and the query that checks so is spared. A page works the role out
    once and passes it to ``dossier_can_edit``, ``transition_choices`` and the rest.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.MIGRANT and not user.is_superuser:
        return workflows.MIGRANT if dossier.promoter.user_id == user.pk else None
    if not visible and not ProjectDossier.objects.visible_to(user).filter(pk=dossier.pk).exists():
        return None
    if user.is_superuser or user.role == Role.ADMIN:
        return workflows.ADMIN
    return workflows.ADVISOR if user.role == Role.ADVISOR else None


def dossier_can_edit(dossier: ProjectDossier, user, *, role=UNKNOWN) -> bool:
    """A migrant edits a draft or a dossier sent back to them; staff until it goes to a funder.

    Nobody edits the dossier of an erased person (its text is blanked, the record is read-only).
    """
    if dossier.promoter.is_erased:
        return False
    return workflows.dossier_editable(dossier.status, dossier_role_of(dossier, user) if role is UNKNOWN else role)


def dossier_edit_refusal(dossier: ProjectDossier, user) -> str | None:
    """Why ``user`` may not edit the dossier now (the message pages show), or None when they may."""
    if refusal := erased_record_refusal(dossier.promoter):
        return refusal
    if not dossier_can_edit(dossier, user):
        return gettext("This dossier cannot be changed now: it is in the hands of the office.")
    return None


def allowed_transitions(dossier: ProjectDossier, user, *, role=UNKNOWN) -> list[str]:
    """The statuses ``user`` may move the dossier to (``workflows.DOSSIER_MOVES``)."""
    return workflows.dossier_moves(dossier.status, dossier_role_of(dossier, user) if role is UNKNOWN else role)


def transition_choices(dossier: ProjectDossier, user, *, role=UNKNOWN) -> list[tuple[str, str]]:
    """The moves ``user`` may make, with the words of their buttons."""
    return [
        (status, workflows.DOSSIER_ACTION_LABELS[status]) for status in allowed_transitions(dossier, user, role=role)
    ]


def advisors_of_office(office_id):
    return User.objects.filter(office_id=office_id, role__in=[Role.ADVISOR, Role.ADMIN], is_active=True)


# --- What the dossier pages show ---------------------------------------------------------


def promoter_of(user):
    """The registry record of a migrant user (with its office), or ``None`` when they have none."""
    return migrants_visible_to(user).select_related("office").first()


def has_promoter_profile(user) -> bool:
    return migrants_visible_to(user).exists()


def dossier_reload(dossier: ProjectDossier) -> ProjectDossier:
    """A fresh copy of the dossier from the database (a bound form changes its instance)."""
    return ProjectDossier.objects.get(pk=dossier.pk)


def section_comments(dossier: ProjectDossier, section: str):
    """The advisors' remarks on one step, shown while the dossier is sent back for changes."""
    if dossier.status != DossierStatus.CHANGES_REQUESTED:
        return ()
    return dossier.review_comments.filter(section=section)


def changes_request(dossier: ProjectDossier, transitions: list | None = None):
    """The move that sent the dossier back to its promoter (its comment says what to change), if it is back.

    From ``transitions`` (the dossier's moves, in order) when the caller has them: no query.
    """
    if dossier.status != DossierStatus.CHANGES_REQUESTED:
        return None
    if transitions is not None:
        back = [move for move in transitions if move.to_status == DossierStatus.CHANGES_REQUESTED]
        return back[-1] if back else None
    return dossier.transitions.filter(to_status=DossierStatus.CHANGES_REQUESTED).select_related("actor").last()


def budget_lines(dossier: ProjectDossier):
    return BudgetLine.objects.filter(dossier=dossier)


def financing_lines(dossier: ProjectDossier):
    return FinancingLine.objects.filter(dossier=dossier)


def budget_line_get(dossier: ProjectDossier, pk: int) -> BudgetLine:
    return get_object_or_404(BudgetLine, dossier=dossier, pk=pk)


def financing_line_get(dossier: ProjectDossier, pk: int) -> FinancingLine:
    return get_object_or_404(FinancingLine, dossier=dossier, pk=pk)


def document_get(*, user, pk: int) -> DossierDocument:
    return get_visible_or_404(DossierDocument, user, pk=pk)


def documents_checklist(dossier: ProjectDossier) -> dict:
    """The required documents, each with its current version or ``None``, and the other documents sent."""
    present = current_documents(dossier)
    required = list(required_document_types(dossier))
    required_ids = {document_type.pk for document_type in required}
    return {
        "checklist": [(document_type, present.get(document_type.pk)) for document_type in required],
        "other_documents": [document for type_id, document in present.items() if type_id not in required_ids],
    }


def dossier_summary(dossier: ProjectDossier) -> dict:
    """Everything of the dossier for its page and its print: money lines, documents, moves, comments by section.

    Documents (every version) and moves are read once, as lists: the page takes the current
    documents, and the request for changes, from them.
    """
    steps = [section.value for section in DossierSection]
    comments_by_section = {value: [] for value in steps}
    for comment in dossier.review_comments.select_related("author"):
        comments_by_section[comment.section].append(comment)
    return {
        "budget_lines": budget_lines(dossier),
        "financing_lines": financing_lines(dossier),
        "documents": list(DossierDocument.objects.filter(dossier=dossier).select_related("document_type")),
        "transitions": list(dossier.transitions.select_related("actor")),
        "sections": [(value, DossierSection(value).label, comments_by_section[value]) for value in steps],
    }


def dossiers_recent(user, *, limit: int = 5):
    """The dossiers ``user`` sees, the last changed first (the migrant's dashboard card)."""
    return ProjectDossier.objects.visible_to(user).order_by("-updated_at")[:limit]
