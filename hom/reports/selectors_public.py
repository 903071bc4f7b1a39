"""The public commune profile: every office's figures for one commune, suppressed, no name."""
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hom.territories.models import Commune
from migrants.models import Migrant, Visit
from projects.funding_models import FundingOpportunity
from projects.funding_selectors import opportunities_open_on
from projects.models import ProjectDossier

from .models import CommuneProfile
from .selectors import all_dossiers_by_sector_and_stage
from .tables import Table

MAIN_NEEDS = 5


def communes_editable_by(user):
    """Communes whose profile ``user`` keeps: those of their office's region; all for a national admin."""
    if not user.is_authenticated or not user.is_office_staff:
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    return Commune.objects.filter(department__region_id=user.office.region_id)


def migrants_by_country(commune) -> Table:
    rows = (
        Migrant.objects.filter(commune_of_origin=commune)
        .values("country_of_residence")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {row["country_of_residence"] or "": row["count"] for row in rows}
    codes = sorted((code for code in counts if code), key=lambda code: (-counts[code], code))
    labels = [countries.name(code) or code for code in codes]
    body = [[counts[code]] for code in codes]
    if "" in counts:
        labels.append(_("Not recorded"))
        body.append([counts[""]])
    return Table(
        key="residence",
        title=_("Migrants registered, by country of residence"),
        row_heading=_("Country of residence"),
        columns=[_("Persons")],
        row_labels=labels,
        body=body,
        column_totals=True,
    )


def main_needs(commune) -> Table:
    """The needs most often expressed by the commune's people (registered or walk-ins), all years."""
    rows = (
        Visit.objects.filter(Q(migrant__commune_of_origin=commune) | Q(migrant__isnull=True, commune=commune))
        .filter(needs__isnull=False)
        .values("needs__label_fr", "needs__label_en")
        .annotate(visits=Count("pk", distinct=True))
        .order_by("-visits", "needs__label_fr")[:MAIN_NEEDS]
    )
    english = (get_language() or "fr").startswith("en")
    return Table(
        key="main_needs",
        title=_("Main needs expressed"),
        row_heading=_("Need"),
        columns=[_("Visits")],
        row_labels=[row["needs__label_en"] if english else row["needs__label_fr"] for row in rows],
        body=[[row["visits"]] for row in rows],
    )


def fitting_programmes(commune):
    """Open programmes for the commune (nationwide, its region or itself) and, when the commune's
    dossiers have sectors, for one of them (or for every sector)."""
    through_regions = FundingOpportunity.eligible_regions.through.objects.filter(fundingopportunity=OuterRef("pk"))
    through_communes = FundingOpportunity.eligible_communes.through.objects.filter(fundingopportunity=OuterRef("pk"))
    through_sectors = FundingOpportunity.eligible_sectors.through.objects.filter(fundingopportunity=OuterRef("pk"))
    territory = (
        ~Exists(through_regions) & ~Exists(through_communes)
        | Exists(through_regions.filter(region_id=commune.department.region_id))
        | Exists(through_communes.filter(commune_id=commune.pk))
    )
    programmes = opportunities_open_on(FundingOpportunity.objects.all()).filter(territory)
    sectors = ProjectDossier.objects.filter(commune=commune, sector__isnull=False).values("sector")
    programmes = programmes.filter(~Exists(through_sectors) | Exists(through_sectors.filter(sector__in=sectors)))
    return programmes.order_by("deadline", "name")


def commune_profile_figures(code: str) -> dict:
    commune = get_object_or_404(Commune.objects.with_parents(), code=code)
    return {
        "commune": commune,
        "profile": CommuneProfile.objects.filter(commune=commune).first(),
        "tables": [
            migrants_by_country(commune),
            main_needs(commune),
            all_dossiers_by_sector_and_stage(ProjectDossier.objects.filter(commune=commune)),
        ],
        "programmes": fitting_programmes(commune),
    }
