"""The advisor, in headless Chromium: the dossier's explained matches, a shortlist, a submission recorded."""
import re

import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Commune, Region, Sector
from migrants.tests.factories import MigrantFactory
from projects.funding.models import FundingApplication
from projects.funding.services import programmes_load
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory

pytestmark = pytest.mark.browser


def test_the_advisor_shortlists_a_matching_programme_and_records_it_as_submitted(live_app, reference_data, page):
    programmes_load()  # an earlier transactional test may have flushed the catalogue
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna")
    promoter = MigrantFactory(office=office, situation="returned", sex="M", birth_year=1990, country_of_residence="")
    dossier = DossierFactory(
        promoter=promoter,
        title="Exploitation maraîchère à Sédhiou",
        sector=Sector.objects.get(code="AGRI"),
        commune=Commune.objects.get(code="SN1103_SEDHIOU"),
    )
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=10_000_000)
    FinancingLineFactory(dossier=dossier, source="own", amount=2_000_000)
    FinancingLineFactory(dossier=dossier, source="grant", amount=8_000_000)

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lamine@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()
    page.goto(f"{live_app.url}/projects/{dossier.pk}/")

    # The page shows the three best matches; all of them are a link away, where an excluded one says which rule failed.
    matches = page.get_by_test_id("funding-match")
    expect(matches).to_have_count(3)
    expect(matches.first).to_have_attribute("data-verdict", re.compile("eligible|possible"))
    page.get_by_test_id("all-matches").click()
    der = page.get_by_test_id("funding-match").filter(has_text="DER/FJ")
    expect(der).to_have_attribute("data-verdict", "not_eligible")
    five_million = "5\u202f000\u202f000\u00a0FCFA"
    expect(der.locator('[data-criterion="amount"]')).to_contain_text(f"dépasse le maximum de {five_million}")
    page.go_back()

    # Shortlist the first programme, then record that it was submitted.
    first = matches.first
    name = first.get_by_role("heading").inner_text()
    first.get_by_role("button", name="Présélectionner pour ce dossier").click()
    application = page.get_by_test_id("application")
    expect(application).to_contain_text(name)
    expect(application).to_have_attribute("data-status", "planned")
    move = application.get_by_test_id("application-move")
    move.get_by_label("Enregistrer").select_option(label="Déposée")
    move.get_by_label("Le", exact=True).fill("2026-11-20")
    move.get_by_label("Montant (FCFA)").fill("8000000")
    move.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_test_id("application")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("application")).to_contain_text("20/11/2026")
    recorded = FundingApplication.objects.get(dossier=dossier)
    assert (recorded.status, recorded.amount_requested, recorded.opportunity.name) == ("submitted", 8_000_000, name)
