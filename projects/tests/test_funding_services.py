"""Loading the real programmes and writing opportunities through the services."""
from io import StringIO

from django.core.management import call_command

from hom.territories.models import Region, Sector
from projects.funding.models import FundingOpportunity, FundingTargetGroup, FundingType
from projects.funding.services import (
    funding_opportunity_create,
    funding_opportunity_refresh,
    funding_opportunity_update,
    normalise_search_text,
    programmes_load,
)

FAISE = "FAISE - Financement des Sénégalais de l'Extérieur (FSE)"


def test_the_migration_loads_the_real_programmes_with_their_sources(db):
    faise = FundingOpportunity.objects.get(name=FAISE)

    assert FundingOpportunity.objects.count() == 21
    assert faise.source_url == "https://faise.sn/fse"
    assert "décret 2008-635" in faise.notes  # French, shown on French pages
    assert "decree 2008-635" in faise.notes_en  # the source's English, kept for English pages
    assert (faise.amount_min, faise.amount_max, faise.currency) == (5_000_000, 15_000_000, "XOF")
    assert set(faise.excluded_sectors.values_list("code", flat=True)) == {"COMM", "TRANS", "IMMO"}
    assert list(faise.target_groups.values_list("code", flat=True)) == ["diaspora"]


def test_uncertain_values_stay_empty(db):
    ffd = FundingOpportunity.objects.get(name__startswith="FAISE - Financement des Femmes")

    assert (ffd.amount_min, ffd.amount_max, ffd.min_own_contribution_percent, ffd.last_verified_on) == (None,) * 4


def test_programmes_in_euros_show_their_fcfa_equivalent(db):
    forim = FundingOpportunity.objects.get(name="FORIM PRA/OSIM")

    assert (forim.amount_max, forim.currency, forim.amount_max_xof) == (15000, "EUR", 9_839_355)
    assert forim.required_own_contribution_percent == 30


def test_loading_twice_changes_nothing(db):
    before = list(FundingOpportunity.objects.order_by("pk").values_list("pk", "name", "amount_max_xof", "search_text"))

    programmes_load()

    after = list(FundingOpportunity.objects.order_by("pk").values_list("pk", "name", "amount_max_xof", "search_text"))
    assert before == after
    assert FundingType.objects.count() == 7 and FundingTargetGroup.objects.count() == 8


def test_the_command_loads_and_refreshes(db):
    out = StringIO()

    call_command("load_funding_programmes", stdout=out)
    call_command("load_funding_programmes", "--refresh-only", stdout=out)

    assert "21 funding programmes loaded." in out.getvalue()
    assert "21 funding opportunities refreshed." in out.getvalue()


def test_create_and_update_fill_the_relations_and_the_search_text(db):
    poultry = Sector.objects.get(code="ELEV")
    sedhiou = Region.objects.get(code="SN11")

    opportunity = funding_opportunity_create(
        name="Fonds régional",
        funder_name="ARD de Sédhiou",
        types=[FundingType.objects.get(code="grant")],
        eligible_sectors=[poultry],
        eligible_regions=[sedhiou],
        description="Appui aux éleveurs",
    )
    opportunity = funding_opportunity_update(opportunity=opportunity, keywords="Poulaillers", eligible_regions=[])

    assert list(opportunity.eligible_sectors.all()) == [poultry]
    assert not opportunity.eligible_regions.exists()
    assert "poulaillers" in opportunity.search_text
    assert "volaille" in opportunity.search_text
    assert "sedhiou" in opportunity.search_text


def test_refresh_recomputes_the_fcfa_equivalents_after_a_rate_change(db, settings):
    forim = FundingOpportunity.objects.get(name="FORIM PRA/OSIM")
    settings.EUR_TO_XOF = 600

    funding_opportunity_refresh(opportunity_ids=[forim.pk])

    forim.refresh_from_db()
    assert forim.amount_max_xof == 9_000_000


def test_search_text_is_lower_case_without_accents():
    assert normalise_search_text("  Élevage   de VOLAILLES à Sédhiou ") == "elevage de volailles a sedhiou"
