"""A visitor searches the catalogue in headless Chromium: live results, a filter, a shareable URL."""
import re

import pytest
from playwright.sync_api import expect

from hom.territories.models import Sector
from projects.funding_models import FundingType
from projects.tests.funding_factories import FundingOpportunityFactory

pytestmark = pytest.mark.browser

ANPEJ = "ANPEJ - Fonds de financement de l'emploi des jeunes (FEJ)"


@pytest.fixture
def scripts_served(settings):
    """The live server serves static files through the finders, which know no manifest names:
    use plain names so that htmx and hom.js load (the suite's pages otherwise run without JS)."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def test_a_visitor_finds_the_poultry_programme_then_narrows_to_grants(live_app, page, scripts_served):
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
