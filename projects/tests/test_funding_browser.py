"""A visitor searches the catalogue in headless Chromium: live results, a filter, a shareable URL."""
import re

import pytest
from playwright.sync_api import expect

from hom.territories.models import Commune, Department, NeedCategory, Region, Sector
from hom.territories.services import reference_load, territories_load
from projects.funding.models import FundingType
from projects.funding.services import programmes_load
from projects.tests.funding_factories import FundingOpportunityFactory

pytestmark = pytest.mark.browser

FIVE_MILLION = "5\u202f000\u202f000\u00a0FCFA"
ANPEJ = "ANPEJ - Fonds de financement de l'emploi des jeunes (FEJ)"


@pytest.fixture
def scripts_served(settings):
    """The live server serves static files through the finders, which know no manifest names:
    use plain names so that htmx and hom.js load (the suite's pages otherwise run without JS)."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}


@pytest.fixture
def catalogue(live_app):
    """Reference data and programmes: an earlier transactional test may have flushed the migrations' rows."""
    territories_load(region_model=Region, department_model=Department, commune_model=Commune)
    reference_load(sector_model=Sector, need_category_model=NeedCategory)
    programmes_load()


def test_a_visitor_finds_the_poultry_programme_then_narrows_to_grants(live_app, page, scripts_served, catalogue):
    FundingOpportunityFactory(
        name="Programme d'élevage de volailles de Sédhiou",
        types=[FundingType.objects.get(code="grant")],
        eligible_sectors=[Sector.objects.get(code="ELEV")],
    )
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_app.url}])

    page.goto(f"{live_app.url}/funding/")
    expect(page.get_by_test_id("funding-title")).to_have_text("Funding programmes")
    page.get_by_role("searchbox", name="Search").fill("elevage")

    results = page.get_by_test_id("funding-result")
    expect(results.first).to_contain_text("Programme d'élevage de volailles de Sédhiou")
    expect(page.get_by_test_id("funding-count")).to_have_text("8 programmes")
    expect(page.get_by_role("link", name=ANPEJ)).to_be_visible()

    page.get_by_label("Type of support").select_option("grant")

    expect(page.get_by_role("link", name=ANPEJ)).to_have_count(0)
    expect(results.first).to_contain_text("Programme d'élevage de volailles de Sédhiou")
    expect(page).to_have_url(re.compile(r"q=elevage.*type=grant|type=grant.*q=elevage"))

    page.reload()
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("elevage")
    expect(page.get_by_role("link", name=ANPEJ)).to_have_count(0)
    expect(results.first).to_contain_text("Programme d'élevage de volailles de Sédhiou")


def test_a_visitor_checks_a_sedhiou_agriculture_idea_and_reads_why_a_programme_is_excluded(live_app, page, catalogue):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_app.url}])
    page.goto(f"{live_app.url}/funding/")
    page.get_by_role("link", name="Which programmes fit my project?").click()

    page.get_by_label("Sector").select_option("AGRI")
    page.get_by_label("Commune of the project").select_option("SN1103_SEDHIOU")
    page.get_by_label("Amount sought (FCFA)").fill("8000000")
    page.get_by_label("Own contribution (% of the project's cost)").fill("20")
    page.get_by_label("The promoter is").select_option("returned")
    page.get_by_label("Age", exact=True).fill("34")
    page.get_by_label("Kind of promoter").select_option("individual")
    page.get_by_role("button", name="Check").click()

    matches = page.get_by_test_id("funding-match")
    expect(matches.first).to_have_attribute("data-verdict", "eligible")
    der = matches.filter(has_text="DER/FJ")
    expect(der).to_have_attribute("data-verdict", "not_eligible")
    expect(der.locator('[data-criterion="amount"]')).to_contain_text(f"above the maximum of {FIVE_MILLION}")
