"""Reads of the partnerships app: the directory, its search, matching and introductions.

Matching is computed by the database: each reason is an annotation (an uncorrelated
``IN`` subquery, an ``Exists`` or a comparison), the score a ``Case``/``When`` sum of them, so ranking
thousands of organisations or tens of thousands of persons is one query, and the page
shows the reasons from the same annotations.
"""
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower, StrIndex

from hom.accounts.access import get_visible_or_404
from hom.text import normalise
from migrants.models import Migrant, Situation
from projects.models import ProjectDossier

from .models import Introduction, Organisation, OrganisationImport

SEARCH_WORD_SIMILARITY = 0.45

# Points of each reason; the place of origin counts once, at its most precise level.
SCORE_COMMUNE = 40
SCORE_DEPARTMENT = 25
SCORE_REGION = 15
SCORE_COUNTRY = 20
SCORE_CITY = 10
SCORE_SECTOR = 15
SCORE_LANGUAGE = 5
MATCH_LIMIT = 20

CommunesServed = Organisation.communes_served.through
DepartmentsServed = Organisation.departments_served.through
OrganisationSectors = Organisation.sectors.through
MigrantSectors = Migrant.sectors_of_interest.through


def organisations_for_directory(user) -> QuerySet:
    return (
        Organisation.objects.visible_to(user)
        .prefetch_related("sectors", "communes_served", "departments_served")
    )


def organisations_published() -> QuerySet:
    return Organisation.objects.published().prefetch_related("sectors", "communes_served", "departments_served")


def organisation_search(queryset: QuerySet, query: str) -> QuerySet:
    """Name, acronym or city resembling ``query``, accents and case ignored."""
    term = normalise(query)
    if not term:
        return queryset
    contains = Q()
    for word in term.split():
        contains &= Q(search_text__contains=word)
    if connection.vendor == "postgresql":
        return (
            queryset.annotate(similarity=TrigramWordSimilarity(Value(term), "search_text"))
            .filter(contains | Q(similarity__gte=SEARCH_WORD_SIMILARITY))
        )
    return queryset.filter(contains)


def organisation_for_page(user, pk: int) -> Organisation:
    queryset = Organisation.objects.prefetch_related(
        "sectors", "communes_served", "departments_served", "partner_users"
    )
    return get_visible_or_404(queryset, user, pk=pk)


def organisation_of_partner(user) -> Organisation | None:
    return Organisation.objects.visible_to(user).order_by("pk").first()


def _language_words(text: str) -> list[str]:
    return [word for word in normalise(text).split() if len(word) >= 4]


def _text_contains_any(field: str, words: list[str]) -> Q:
    condition = Q(pk__in=[])
    for word in words:
        condition |= Q(**{f"{field}__icontains": word})
    return condition


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _points(flag: str, points: int) -> Case:
    return Case(When(**{flag: True}, then=Value(points)), default=Value(0), output_field=IntegerField())


def organisations_matching(user, migrant: Migrant, *, limit: int = MATCH_LIMIT) -> list[Organisation]:
    """Organisations ranked by how well they fit ``migrant``, each with its reasons (boolean annotations)."""
    commune = migrant.commune_of_origin
    department_id = commune.department_id if commune else None
    region_id = commune.department.region_id if commune else None
    abroad = migrant.situation == Situation.ABROAD and bool(migrant.country_of_residence)
    sector_ids = list(MigrantSectors.objects.filter(migrant_id=migrant.pk).values_list("sector_id", flat=True))
    sector_ids += list(
        ProjectDossier.objects.filter(promoter_id=migrant.pk, sector__isnull=False).values_list("sector_id", flat=True)
    )
    # Uncorrelated subqueries: PostgreSQL hashes each id list once instead of probing it per organisation.
    no = Value(False, output_field=BooleanField())
    organisation = OuterRef("pk")
    queryset = Organisation.objects.visible_to(user).annotate(
        serves_commune=_flag(Q(pk__in=CommunesServed.objects.filter(commune_id=commune.pk).values("organisation_id")))
        if commune else no,
        serves_department=_flag(
            Q(pk__in=DepartmentsServed.objects.filter(department_id=department_id).values("organisation_id"))
            | Q(pk__in=CommunesServed.objects.filter(commune__department_id=department_id).values("organisation_id"))
        ) if commune else no,
        serves_region=_flag(
            Q(pk__in=DepartmentsServed.objects.filter(department__region_id=region_id).values("organisation_id"))
            | Q(pk__in=CommunesServed.objects.filter(
                commune__department__region_id=region_id
            ).values("organisation_id"))
        ) if commune else no,
        same_country=_flag(Q(country=migrant.country_of_residence)) if abroad else no,
        same_city=_flag(Q(country=migrant.country_of_residence, city__icontains=migrant.city_of_residence))
        if abroad and migrant.city_of_residence else no,
        shares_sector=Exists(OrganisationSectors.objects.filter(organisation_id=organisation, sector_id__in=sector_ids)),
        shares_language=_flag(_text_contains_any("languages", _language_words(migrant.languages))),
    ).annotate(
        score=Case(
            When(serves_commune=True, then=Value(SCORE_COMMUNE)),
            When(serves_department=True, then=Value(SCORE_DEPARTMENT)),
            When(serves_region=True, then=Value(SCORE_REGION)),
            default=Value(0),
            output_field=IntegerField(),
        )
        + _points("same_country", SCORE_COUNTRY)
        + _points("same_city", SCORE_CITY)
        + _points("shares_sector", SCORE_SECTOR)
        + _points("shares_language", SCORE_LANGUAGE),
    )
    return list(
        queryset.filter(score__gt=0).prefetch_related("sectors").order_by("-score", "name", "pk")[:limit]
    )


def migrants_matching(user, organisation: Organisation, *, limit: int = MATCH_LIMIT) -> list[Migrant]:
    """Persons in ``user``'s scope who consented to sharing, ranked by how well ``organisation`` fits them."""
    communes = CommunesServed.objects.filter(organisation_id=organisation.pk)
    departments = DepartmentsServed.objects.filter(organisation_id=organisation.pk)
    sectors = OrganisationSectors.objects.filter(organisation_id=organisation.pk).values("sector_id")
    abroad = Q(situation=Situation.ABROAD)
    queryset = (
        Migrant.objects.visible_to(user)
        .shareable_with_partners()
        .filter(erased_at__isnull=True)
        .annotate(
            from_commune=_flag(Q(commune_of_origin__in=communes.values("commune_id"))),
            from_department=_flag(
                Q(commune_of_origin__department__in=departments.values("department_id"))
                | Q(commune_of_origin__department__in=communes.values("commune__department_id"))
            ),
            from_region=_flag(
                Q(commune_of_origin__department__region__in=departments.values("department__region_id"))
                | Q(commune_of_origin__department__region__in=communes.values("commune__department__region_id"))
            ),
            same_country=_flag(abroad & Q(country_of_residence=organisation.country))
            if organisation.country else Value(False, output_field=BooleanField()),
            same_city=Case(
                When(
                    abroad & Q(country_of_residence=organisation.country) & ~Q(city_of_residence=""),
                    then=StrIndex(Lower(Value(organisation.city)), Lower("city_of_residence")),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
            shares_sector=_flag(
                Q(pk__in=MigrantSectors.objects.filter(sector_id__in=sectors).values("migrant_id"))
                | Q(pk__in=ProjectDossier.objects.filter(sector_id__in=sectors).values("promoter_id"))
            ),
            shares_language=_flag(_text_contains_any("languages", _language_words(organisation.languages))),
        )
        .annotate(
            score=Case(
                When(from_commune=True, then=Value(SCORE_COMMUNE)),
                When(from_department=True, then=Value(SCORE_DEPARTMENT)),
                When(from_region=True, then=Value(SCORE_REGION)),
                default=Value(0),
                output_field=IntegerField(),
            )
            + _points("same_country", SCORE_COUNTRY)
            + Case(When(same_city__gt=0, then=Value(SCORE_CITY)), default=Value(0), output_field=IntegerField())
            + _points("shares_sector", SCORE_SECTOR)
            + _points("shares_language", SCORE_LANGUAGE),
        )
    )
    dossiers = ProjectDossier.objects.visible_to(user).filter(sector_id__in=sectors).select_related("sector")
    return list(
        queryset.filter(score__gt=0)
        .select_related("commune_of_origin")
        .prefetch_related(Prefetch("dossiers", queryset=dossiers, to_attr="fitting_dossiers"))
        .order_by("-score", "last_name", "first_name", "pk")[:limit]
    )


def introductions_visible_to(user) -> QuerySet:
    return Introduction.objects.visible_to(user).select_related("migrant", "organisation", "dossier", "introduced_by")


def introductions_of_migrant(user, migrant: Migrant) -> QuerySet:
    return introductions_visible_to(user).filter(migrant=migrant)


def introductions_of_organisation(user, organisation: Organisation) -> QuerySet:
    return introductions_visible_to(user).filter(organisation=organisation)


# --- What partners see of persons ----------------------------------------------------------


def _shareable_persons() -> QuerySet:
    """Persons a partner may see by name: consent to sharing with partners, not withdrawn, not erased."""
    return Migrant.objects.shareable_with_partners().filter(erased_at__isnull=True).values("pk")


def partner_view_of_people(rows: QuerySet, *, person: str = "migrant") -> dict:
    """What a partner sees of ``rows`` that may name a person (event participants, introductions).

    ``shown``: the rows of persons who consent to sharing with partners, and the rows naming no
    person (an organisation taking part); ``others``: how many rows of other persons there are,
    shown as a number only. Two queries. Every partner page that lists persons goes through here.
    """
    shareable = _shareable_persons()
    shown = rows.filter(Q(**{f"{person}__isnull": True}) | Q(**{f"{person}__in": shareable}))
    others = rows.filter(**{f"{person}__isnull": False}).exclude(**{f"{person}__in": shareable}).count()
    return {"shown": list(shown), "others": others}


def introductions_for_partner(user, organisation: Organisation) -> dict:
    """A partner's view of their organisation's introductions: consenting persons by name, the others counted.

    ``Introduction.objects.visible_to`` gives a partner only the consenting persons' rows; the
    count of the others is taken here, on the organisations the partner belongs to, and never
    leaves more than a number.
    """
    rows = (
        Introduction.objects.filter(organisation=organisation, organisation__partner_users=user)
        .select_related("migrant", "organisation", "dossier")
        .order_by("-introduced_on", "-pk")
    )
    return partner_view_of_people(rows)


def introductions_follow_up_due(user, today=None) -> QuerySet:
    """Open introductions whose follow-up date has come, for the reminders."""
    return introductions_visible_to(user).follow_ups_due(today).order_by("follow_up_on", "pk")


def imports_visible_to(user) -> QuerySet:
    return OrganisationImport.objects.visible_to(user)
