"""The funding catalogue in French (issue 19, point 7): the programmes' names, funders and
descriptions are French on French pages, with the English kept and shown on English pages."""
import csv
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from projects.funding.models import FundingOpportunity
from projects.funding.selectors import opportunity_terms
from projects.funding.services import PROGRAMMES_CSV, programmes_load

IOM_EN = "IOM reintegration assistance (EU-IOM Joint Initiative and successor programme)"
IOM_FR = "OIM - aide à la réintégration (Initiative conjointe UE-OIM et programme qui lui succède)"
# English words the sources use and French never does.
ENGLISH = ("assistance", "programme)", "financing of", "projects)", "offers)", "convention for", "under the ministry",
           "Government of", "with AFD", "youth", "women", "returnees", "Public:", "Sectors:", "Area:")


def _page(client, url, language="fr"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return html.unescape(client.get(url).content.decode())


def test_every_reference_programme_is_named_described_and_funded_in_french(db):
    with open(PROGRAMMES_CSV, encoding="utf-8") as handle:
        count = sum(1 for _row in csv.DictReader(handle))

    programmes = list(FundingOpportunity.objects.all())

    assert len(programmes) == count == 21
    for programme in programmes:
        french = " ".join([programme.name, programme.funder_name, programme.description])
        assert [word for word in ENGLISH if word in french] == [], programme.name
        assert programme.description_en  # the source's English is kept
    iom = FundingOpportunity.objects.get(name=IOM_FR)
    assert (iom.name_en, iom.funder_name_en) == (IOM_EN, "IOM Senegal with DGASE, funded by EU")
    assert iom.funder_name == "OIM Sénégal avec la DGASE, financé par l'UE"


def test_a_programme_page_is_french_on_a_french_page_and_english_on_an_english_one(client, db):
    iom = FundingOpportunity.objects.get(name=IOM_FR)
    url = reverse("funding:detail", args=[iom.pk])

    french, english = _page(client, url, "fr"), _page(client, url, "en")

    assert IOM_FR in french and IOM_EN not in french
    assert "Migrants de retour (surtout des retours volontaires assistés" in french
    assert "returnees (mostly assisted voluntary returns" not in french
    assert IOM_EN in english and "returnees (mostly assisted voluntary returns" in english


def test_the_catalogue_lists_the_french_names(client, db):
    page = _page(client, reverse("funding:list") + "?q=reintegration")

    assert IOM_FR in page and IOM_EN not in page


def test_a_programme_without_an_english_name_keeps_its_french_one_on_english_pages(client, db):
    faise = FundingOpportunity.objects.get(name="FAISE - Financement des Sénégalais de l'Extérieur (FSE)")

    assert faise.name_en == ""
    assert faise.name in _page(client, reverse("funding:detail", args=[faise.pk]), "en")


def test_reloading_finds_a_programme_by_its_source_name_and_renames_it_into_french(db):
    iom = FundingOpportunity.objects.get(name=IOM_FR)
    FundingOpportunity.objects.filter(pk=iom.pk).update(name=IOM_EN, name_en="", description="Old text")

    assert programmes_load() == 21

    iom.refresh_from_db()
    assert (iom.name, iom.name_en) == (IOM_FR, IOM_EN)
    assert iom.description.startswith("Public\u00a0: Migrants de retour")
    assert FundingOpportunity.objects.count() == 21


@pytest.mark.parametrize(("language", "expected"), [("fr", IOM_FR), ("en", IOM_EN)])
def test_the_dossier_matches_show_the_name_of_the_active_language(db, language, expected):
    with translation.override(language):
        assert opportunity_terms(FundingOpportunity.objects.with_relations().get(name=IOM_FR)).name == expected


# English words of the sources' notes that a French page must not show.
ENGLISH_NOTES = (" stated on ", "Requires ", " required ", "not found", "Revolving fund", "unverified", "confirmed by",
                 " announced ", "unknown", "Services: ", "Projects without", "quoted by", "since", " loans ",
                 "Also refinances", "Current activity", " bands", "Online applications", "may have changed",
                 "Non-repayable", "Time-bound", "Per-person", "Conflicting figures", "Mandatory support",
                 "Annual call", "likely closed", "About 40 migrants", "No published", "LOW CONFIDENCE",
                 "Text is a", "guarantee covers", "treat as historical", " per year", " with ", " the ", " and ")


def test_every_programme_has_its_notes_in_french_with_the_english_kept(db):
    with open(PROGRAMMES_CSV, encoding="utf-8") as handle:
        sources = {row["name"]: row["notes"] for row in csv.DictReader(handle)}

    for programme in FundingOpportunity.objects.exclude(notes=""):
        assert [word for word in ENGLISH_NOTES if word in programme.notes] == [], programme.name
        assert programme.notes_en == sources[programme.name_en or programme.name]
    assert FundingOpportunity.objects.filter(notes="").count() == 0


def test_french_pages_of_the_catalogue_show_no_english_of_the_data(client, db):
    # The catalogue and every programme's page, as a French visitor reads them (the text, not the codes of the tags).
    urls = [reverse("funding:list")]
    urls += [reverse("funding:detail", args=[pk]) for pk in FundingOpportunity.objects.values_list("pk", flat=True)]
    pages = [re.sub(r"<[^>]*>", " ", _page(client, url)) for url in urls]
    english_names = set(FundingOpportunity.objects.exclude(name_en="").values_list("name_en", flat=True))

    for page in pages:
        assert [word for word in ENGLISH + ENGLISH_NOTES if word in page] == []
        assert [name for name in english_names if name in page] == []


def test_english_pages_show_the_sources_notes_in_english(client, db):
    pamecas = FundingOpportunity.objects.get(name="PAMECAS - crédit projets (microfinance)")
    url = reverse("funding:detail", args=[pamecas.pk])

    assert "FIABILITÉ FAIBLE" in _page(client, url, "fr")
    english = _page(client, url, "en")
    assert "LOW CONFIDENCE" in english and "FIABILITÉ FAIBLE" not in english
