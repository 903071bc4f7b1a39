"""Reads of the funding catalogue: search, list filters, and the terms eligibility reads.

Search is full-text on PostgreSQL (``french_unaccent`` configuration, stored vector, GIN
index, ``ts_rank``), and a plain accent-insensitive ``contains`` on the normalised
``search_text`` column on SQLite. Either way every word counts (OR), results that match
more words or match in the name come first, then the earliest deadline.
"""
import re
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from hom.accounts.access import get_visible_or_404
from projects import workflows
from projects.caches import reference_names
from projects.funding.eligibility import DossierFacts, Match, OpportunityTerms, match_opportunities
from projects.funding.models import (
    GRANTED_STATUSES,
    SHORTLISTED_STATUSES,
    ApplicationStatus,
    FundingApplication,
    FundingOpportunity,
    FundingStatus,
)
from projects.funding.services import SEARCH_CONFIGURATION, normalise_search_text
from projects.models import DossierDocument, ProjectDossier
from projects.selectors import with_totals

MAX_SEARCH_WORDS = 8
WORD = re.compile(r"\w{2,}")


def search_words(query: str) -> list[str]:
    """The words of a query worth searching: two letters or more, at most eight."""
    return WORD.findall(query or "")[:MAX_SEARCH_WORDS]


def _relation(field_name: str):
    return FundingOpportunity._meta.get_field(field_name).remote_field.through.objects.filter(
        fundingopportunity_id=OuterRef("pk")
    )


def opportunities_search(queryset, query: str):
    """Rows matching ``query``, annotated with ``relevance`` and ordered by it, then deadline."""
    words = search_words(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        # Prefix queries on the stemmed words, so live search finds "élev" while typing.
        search = reduce(
            or_, (SearchQuery(f"{word}:*", search_type="raw", config=SEARCH_CONFIGURATION) for word in words)
        )
        queryset = queryset.filter(search_vector=search).annotate(relevance=SearchRank(F("search_vector"), search))
    else:
        normalised = [normalise_search_text(word) for word in words]
        queryset = queryset.filter(reduce(or_, (Q(search_text__contains=word) for word in normalised)))
        score = [Case(When(search_text__contains=word, then=Value(2)), default=Value(0)) for word in normalised]
        # A word found in the name (before the separator) counts once more.
        score += [
            Case(When(search_text__regex=r"^[^|]*" + re.escape(word), then=Value(1)), default=Value(0))
            for word in normalised
        ]
        relevance = reduce(lambda left, right: left + right, score, Value(0, IntegerField()))
        queryset = queryset.annotate(relevance=relevance)
    return queryset.order_by(F("relevance").desc(), F("deadline").asc(nulls_last=True), "name")


def opportunities_open_on(queryset, day=None):
    day = day or timezone.localdate()
    return queryset.filter(Q(deadline__isnull=True) | Q(deadline__gte=day), status=FundingStatus.OPEN)


def opportunities_of_type(queryset, type_code: str):
    return queryset.filter(Exists(_relation("types").filter(fundingtype__code=type_code)))


def opportunities_for_sector(queryset, sector_code: str):
    """Programmes that fund the sector: it is listed, or no sector is listed, and it is not excluded."""
    return queryset.filter(
        ~Exists(_relation("excluded_sectors").filter(sector__code=sector_code)),
        ~Exists(_relation("eligible_sectors")) | Exists(_relation("eligible_sectors").filter(sector__code=sector_code)),
    )


def opportunities_for_target_group(queryset, group_code: str):
    """Programmes open to the group: it is targeted, or the programme targets nobody in particular."""
    return queryset.filter(
        ~Exists(_relation("target_groups"))
        | Exists(_relation("target_groups").filter(fundingtargetgroup__code=group_code))
    )


def opportunities_for_region(queryset, region_code: str):
    """Programmes open in the region: nationwide ones, or those listing it or one of its communes."""
    nationwide = ~Exists(_relation("eligible_regions")) & ~Exists(_relation("eligible_communes"))
    return queryset.filter(
        nationwide
        | Exists(_relation("eligible_regions").filter(region__code=region_code))
        | Exists(_relation("eligible_communes").filter(commune__department__region__code=region_code))
    )


def opportunities_for_amount(queryset, amount_xof: int):
    """Programmes whose published range (in FCFA) contains the amount; no bound published = no limit."""
    return queryset.filter(
        Q(amount_min_xof__isnull=True) | Q(amount_min_xof__lte=amount_xof),
        Q(amount_max_xof__isnull=True) | Q(amount_max_xof__gte=amount_xof),
    )


def opportunities_for_list(user):
    """The catalogue as a list shows it: the relations its cards display, earliest deadline first."""
    return (
        FundingOpportunity.objects.visible_to(user)
        .prefetch_related("types", "target_groups")
        .order_by(F("deadline").asc(nulls_last=True), "name")
    )


def opportunity_for_detail(user, pk: int):
    return get_visible_or_404(FundingOpportunity.objects.with_relations(), user, pk=pk)


def opportunity_terms(opportunity: FundingOpportunity) -> OpportunityTerms:
    """What the eligibility rules read of an opportunity (fetched with ``with_relations()``)."""
    return OpportunityTerms(
        pk=opportunity.pk,
        name=opportunity.shown_name,
        status=opportunity.status,
        deadline=opportunity.deadline,
        is_rolling=opportunity.is_rolling,
        eligible_sector_codes=frozenset(sector.code for sector in opportunity.eligible_sectors.all()),
        excluded_sector_codes=frozenset(sector.code for sector in opportunity.excluded_sectors.all()),
        eligible_region_codes=frozenset(region.code for region in opportunity.eligible_regions.all()),
        eligible_commune_codes=frozenset(commune.code for commune in opportunity.eligible_communes.all()),
        amount_min_xof=opportunity.amount_min_xof,
        amount_max_xof=opportunity.amount_max_xof,
        required_own_contribution_percent=opportunity.required_own_contribution_percent,
        target_group_codes=frozenset(group.code for group in opportunity.target_groups.all()),
        youth_min_age=opportunity.youth_min_age,
        youth_max_age=opportunity.youth_max_age,
        required_document_codes=tuple(opportunity.required_documents),
    )


class _JoinedCodes(Func):
    """The codes of a relation's rows in one string, joined by ``|`` (codes are slugs: no ``|``).

    A plain function and not an aggregate, so that the subquery it sits in gets no GROUP BY:
    aggregating without one, the subquery returns one row (NULL when the relation is empty).
    """

    output_field = CharField()
    template = "%(function)s(%(expressions)s, '|')"

    def as_sql(self, compiler, connection, **extra):
        function = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
        return super().as_sql(compiler, connection, function=function, **extra)


# What the rules read of each relation: (relation, the code of a related row through it).
TERMS_RELATIONS = {
    "eligible_sector_codes": ("eligible_sectors", "sector__code"),
    "excluded_sector_codes": ("excluded_sectors", "sector__code"),
    "eligible_region_codes": ("eligible_regions", "region__code"),
    "eligible_commune_codes": ("eligible_communes", "commune__code"),
    "target_group_codes": ("target_groups", "fundingtargetgroup__code"),
}


def _codes_of(field_name: str, code_path: str) -> Subquery:
    rows = _relation(field_name).order_by().annotate(codes=_JoinedCodes(code_path)).values("codes")
    return Subquery(rows, output_field=CharField())


def _code_set(joined: str | None) -> frozenset[str]:
    return frozenset(joined.split("|")) if joined else frozenset()


def _with_terms(queryset):
    """The opportunities with the codes of their relations annotated: their terms in one query."""
    return queryset.annotate(
        **{f"terms_{name}": _codes_of(field_name, code_path) for name, (field_name, code_path) in TERMS_RELATIONS.items()}
    )


def _terms_of_row(opportunity: FundingOpportunity) -> OpportunityTerms:
    """``opportunity_terms`` of a row read through ``_with_terms``."""
    return OpportunityTerms(
        pk=opportunity.pk,
        name=opportunity.shown_name,
        status=opportunity.status,
        deadline=opportunity.deadline,
        is_rolling=opportunity.is_rolling,
        amount_min_xof=opportunity.amount_min_xof,
        amount_max_xof=opportunity.amount_max_xof,
        required_own_contribution_percent=opportunity.required_own_contribution_percent,
        youth_min_age=opportunity.youth_min_age,
        youth_max_age=opportunity.youth_max_age,
        required_document_codes=tuple(opportunity.required_documents),
        **{name: _code_set(getattr(opportunity, f"terms_{name}")) for name in TERMS_RELATIONS},
    )


def opportunities_terms(queryset=None) -> list[OpportunityTerms]:
    """Every opportunity's terms, in one query (the codes of each relation joined by the database)."""
    queryset = FundingOpportunity.objects.all() if queryset is None else queryset
    return [_terms_of_row(opportunity) for opportunity in _with_terms(queryset)]


def eligibility_names() -> dict[str, str]:
    """Display names of the sectors, regions and communes the explanations mention (every one, cached)."""
    return reference_names()


def funding_matches(facts: DossierFacts, queryset=None) -> list[Match]:
    """Every opportunity checked against a dossier's facts, eligible first (one query, the names cached)."""
    terms = opportunities_terms(queryset)
    return match_opportunities(facts, terms, names=eligibility_names())


# How many programmes the dossier's page shows; the others are a link away.
BEST_MATCHES_SHOWN = 3


def dossier_best_matches(facts: DossierFacts, *, limit: int = BEST_MATCHES_SHOWN) -> tuple[list[Match], int]:
    """The few programmes that fit a dossier best, and the size of the whole catalogue.

    SQL keeps only the programmes open on the day, for the dossier's sector and region (when
    known): the others fail a hard rule anyway. The rules then rank what is left; excluded
    programmes are never among the best. Constant queries, whatever the catalogue.
    """
    candidates = opportunities_open_on(FundingOpportunity.objects.all(), facts.today)
    if facts.sector_code:
        candidates = opportunities_for_sector(candidates, facts.sector_code)
    if facts.region_code:
        candidates = opportunities_for_region(candidates, facts.region_code)
    # The catalogue's size rides along on each candidate (one subquery); counted apart only when none is left.
    catalogue = FundingOpportunity.objects.order_by().annotate(size=Func(F("pk"), function="COUNT")).values("size")
    rows = list(_with_terms(candidates).annotate(catalogue_size=Subquery(catalogue, output_field=IntegerField())))
    total = rows[0].catalogue_size if rows else FundingOpportunity.objects.count()
    matches = match_opportunities(facts, [_terms_of_row(row) for row in rows], names=eligibility_names())
    return [match for match in matches if not match.is_excluded][:limit], total


def _age_on(day: date, *, birth_date: date | None, birth_year: int | None) -> int | None:
    """Age in full years; from the year alone when the exact date is unknown (at most a year off)."""
    if birth_date is not None:
        return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    if birth_year is not None:
        return day.year - birth_year
    return None


def dossier_facts(dossier: ProjectDossier, *, today: date | None = None) -> DossierFacts:
    """What the eligibility rules know of a dossier and its promoter, in two queries.

    The amount sought is what the financing plan asks of funders (loans, grants, other),
    the own contribution a share of the budget: both are the database's sums of the lines
    (``selectors.with_totals``). A total of zero means "not recorded yet".
    """
    row = (
        with_totals(ProjectDossier.objects.filter(pk=dossier.pk))
        .select_related("sector", "commune__department__region", "promoter")
        .get()
    )
    codes = DossierDocument.objects.filter(dossier_id=row.pk, is_current=True).values_list(
        "document_type__code", flat=True
    )
    return dossier_facts_of(row, document_codes=codes, today=today)


def dossier_facts_of(row: ProjectDossier, *, document_codes, today: date | None = None) -> DossierFacts:
    """``dossier_facts`` of a dossier read already, with its totals (``with_totals``), its sector,
    commune, region and promoter (``selectors.dossier_get``): no query."""
    today = today or timezone.localdate()
    promoter = row.promoter
    codes = document_codes
    return DossierFacts(
        sector_code=row.sector.code if row.sector else None,
        commune_code=row.commune.code if row.commune else None,
        region_code=row.commune.department.region.code if row.commune else None,
        amount_sought=row.amount_sought or None,
        own_contribution_percent=round(row.own_total * 100 / row.budget_total, 1) if row.budget_total else None,
        promoter_situation=promoter.situation or None,
        sex=promoter.sex or None,
        age=_age_on(today, birth_date=promoter.birth_date, birth_year=promoter.birth_year),
        # DossierKind's values are a subset of PromoterKind's.
        promoter_kind=row.kind or None,
        document_codes=frozenset(codes),
        today=today,
    )


# --- Applications ----------------------------------------------------------------------

# How many days before a programme closes the reminders start.
DEADLINE_WARNING_DAYS = 14


def applications_of_dossier(dossier: ProjectDossier):
    """A dossier's applications with their programme, the soonest deadline first."""
    return (
        FundingApplication.objects.filter(dossier=dossier)
        .select_related("opportunity")
        .order_by(F("opportunity__deadline").asc(nulls_last=True), "opportunity__name")
    )


def applications_for_list(user):
    """The applications ``user`` may see (staff: their office's), the latest change first."""
    return (
        FundingApplication.objects.visible_to(user)
        .select_related("dossier__promoter", "dossier__office", "opportunity")
        .order_by("-updated_at", "-pk")
    )


def application_get(user, pk: int) -> FundingApplication:
    return get_visible_or_404(
        FundingApplication.objects.select_related("dossier__promoter", "opportunity"), user, pk=pk
    )


def application_moves(application: FundingApplication, role: str | None) -> list[str]:
    """The statuses ``role`` (a part on the dossier, see ``dossier_role_of``) may record next."""
    return workflows.application_moves(application.status, role)


def application_move_choices(application: FundingApplication, role: str | None) -> list[tuple[str, str]]:
    """The moves ``role`` may record on the application, with their labels (the form's choices)."""
    return [(status, ApplicationStatus(status).label) for status in application_moves(application, role)]


def application_totals(queryset) -> dict:
    """Amounts requested, granted and disbursed over ``queryset``, summed by the database.

    Granted counts only applications the funder accepted (accepted or disbursed).
    """
    def total(field, **filters):
        condition = Q(**filters) if filters else None
        return Coalesce(Sum(field, filter=condition), Value(0), output_field=BigIntegerField())

    return queryset.order_by().aggregate(
        count=Count("pk"),
        requested=total("amount_requested"),
        granted=total("amount_granted", status__in=GRANTED_STATUSES),
        disbursed=total("amount_disbursed", status=ApplicationStatus.DISBURSED),
    )


def applications_closing_soon(*, queryset=None, today: date | None = None, days: int = DEADLINE_WARNING_DAYS):
    """Shortlisted applications (planned or submitted) whose programme closes within ``days`` days.

    For the reminders: the deadline is today or later and at most ``days`` days away;
    the soonest first.
    """
    today = today or timezone.localdate()
    queryset = FundingApplication.objects.all() if queryset is None else queryset
    return (
        queryset.filter(
            status__in=SHORTLISTED_STATUSES,
            opportunity__deadline__gte=today,
            opportunity__deadline__lte=today + timedelta(days=days),
        )
        .select_related("dossier__promoter", "dossier__advisor", "dossier__office", "opportunity")
        .order_by("opportunity__deadline", "dossier__reference")
    )
