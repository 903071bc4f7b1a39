"""Search and filters of the public catalogue, on the real programmes."""
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hom.territories.models import Commune
from projects.funding.models import FundingOpportunity
from projects.tests.funding_factories import FundingOpportunityFactory

DER = "DER/FJ - Délégation générale à l'Entrepreneuriat Rapide des Femmes et des Jeunes"
ANPEJ = "ANPEJ - Fonds de financement de l'emploi des jeunes (FEJ)"
IOM = "OIM - aide à la réintégration (Initiative conjointe UE-OIM et programme qui lui succède)"
OFII = "OFII - aide à la réinsertion par la création d'entreprise"
FORIM = "FORIM PRA/OSIM"
FAISE = "FAISE - Financement des Sénégalais de l'Extérieur (FSE)"
FFD = "FAISE - Financement des Femmes de la Diaspora (FFD)"
POULTRY = {DER, ANPEJ, IOM, OFII, FORIM}
LIVESTOCK = POULTRY | {FAISE, FFD}
TEKKI_FII = "Tekki Fii - Développer l'emploi au Sénégal"
PAICODELS = "PAICODELS / HOM ARD Sédhiou - financement des migrants de retour et des jeunes"
SAINT_LOUIS_MATAM = "ANPEJ/OIM/AECID - Projet de renforcement de l'auto-emploi des jeunes (Saint-Louis, Matam)"
PAISD_LOCAL = "PAISD - soutien aux projets de développement local (projets collectifs)"


def _names(client, **params):
    response = client.get(reverse("funding:list"), params)
    assert response.status_code == 200
    return [opportunity.name for opportunity in response.context["page"]]


def _all(client):
    return set(_names(client))


def test_elevage_volaille_puts_the_poultry_programmes_first_then_livestock(client, db):
    names = _names(client, q="élevage volaille")

    assert set(names[:5]) == POULTRY
    assert set(names) == LIVESTOCK


def test_elevage_without_the_accent_finds_the_same_programmes(client, db):
    names = _names(client, q="elevage")

    assert set(names) == LIVESTOCK


def test_search_is_case_and_accent_insensitive_in_the_name(client, db):
    assert _names(client, q="SEDHIOU")[0] == PAICODELS


def test_equal_relevance_is_ordered_by_deadline(client, db):
    today = timezone.localdate()
    FundingOpportunityFactory(name="Fonds apicole tardif", keywords="apiculture", deadline=today + timedelta(days=60))
    FundingOpportunityFactory(name="Fonds apicole proche", keywords="apiculture", deadline=today + timedelta(days=10))

    assert _names(client, q="apiculture") == ["Fonds apicole proche", "Fonds apicole tardif"]


def test_a_search_without_any_word_lists_everything(client, db):
    assert len(_all(client)) == 20  # the first page of the 21 programmes
    assert len(_names(client, q="' - !")) == 20


def test_the_type_filter_keeps_only_that_type(client, db):
    names = set(_names(client, type="guarantee"))

    assert names == set(FundingOpportunity.objects.filter(types__code="guarantee").values_list("name", flat=True))
    assert len(names) == 4


def test_the_sector_filter_drops_programmes_that_exclude_or_do_not_list_it(client, db):
    names = set(_names(client, sector="COMM"))

    assert FAISE not in names  # excludes commerce
    assert DER not in names  # lists its sectors, without commerce
    assert PAISD_LOCAL not in names
    assert {OFII, IOM, FFD} <= names  # open to every sector


def test_the_target_group_filter_keeps_programmes_open_to_the_group(client, db):
    names = set(_names(client, target_group="women"))

    assert {FFD, DER, "FONGIP - garantie individuelle / portefeuille"} <= names
    assert FAISE not in names and IOM not in names


def test_the_region_filter_keeps_nationwide_programmes_and_those_of_the_region(client, db):
    goudomp = Commune.objects.get(code="SN1102_GOUDOMP")
    commune_only = FundingOpportunityFactory(name="Fonds de Goudomp", eligible_communes=[goudomp])

    names = set(_names(client, region="SN11", page=1)) | set(_names(client, region="SN11", page=2))

    assert {TEKKI_FII, PAICODELS, FAISE, commune_only.name} <= names
    assert SAINT_LOUIS_MATAM not in names
    assert commune_only.name not in set(_names(client, region="SN07"))


def test_the_amount_filter_keeps_programmes_whose_range_contains_it(client, db):
    names = set(_names(client, amount=8_000_000))

    assert {FAISE, FORIM, "FOGARISE - Fonds de Garantie pour l'Investissement des Sénégalais de l'Extérieur"} <= names
    assert DER not in names and ANPEJ not in names


def test_open_now_drops_closed_upcoming_and_past_deadlines(client, db):
    FundingOpportunityFactory(name="Appel expiré", deadline=timezone.localdate() - timedelta(days=1))
    FundingOpportunityFactory(name="Appel en cours", deadline=timezone.localdate())

    names = set(_names(client, open_now="on"))

    assert "Appel en cours" in names
    assert {"Appel expiré", TEKKI_FII, PAISD_LOCAL} & names == set()


def test_filters_combine_with_the_search(client, db):
    names = _names(client, q="elevage", amount=8_000_000, region="SN11", open_now="on")

    assert set(names) == {FAISE, FORIM, IOM, OFII, FFD}


def test_bad_filter_values_are_reported_not_crashed(client, db, settings):
    settings.LANGUAGE_CODE = "en"

    response = client.get(reverse("funding:list"), {"amount": "beaucoup", "sector": "NOPE", "q": "elevage"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter a number." in text
    assert "Select a valid choice." in text
    assert 'value="elevage"' in text


@pytest.mark.postgresql(reason="full-text search vectors exist only on PostgreSQL")
def test_postgresql_keeps_a_french_unaccented_search_vector_with_a_gin_index(db):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search vectors exist only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Élevages') @@ to_tsquery('french_unaccent', 'elevage')")
        (matches,) = cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'funding_search_vector_gin'")
        (index,) = cursor.fetchone()

    assert matches is True
    assert "USING gin" in index
    assert not FundingOpportunity.objects.filter(search_vector__isnull=True).exists()
