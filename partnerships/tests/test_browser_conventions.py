"""An admin builds a convention in headless Chromium: two parties, a budget line, their contributions, the totals."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.formatting import format_fcfa
from hom.territories.models import Region
from partnerships.conventions.models import ConventionParty

from .factories import OrganisationFactory

pytestmark = pytest.mark.browser


def _submit(page):
    page.get_by_test_id("convention-form").locator("button[type=submit]").click()


def test_an_admin_creates_a_convention_with_two_parties_and_a_budget_line_and_sees_the_totals(
    live_app, reference_data, page
):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="awa@example.sn", role=Role.ADMIN, office=office, first_name="Awa", last_name="Diédhiou")
    ard = OrganisationFactory(name="Agence régionale de développement de Sédhiou", acronym="ARD", country="SN")
    grdr = OrganisationFactory(name="Grdr Migration-Citoyenneté-Développement", acronym="Grdr", country="FR")

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("awa@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_app.url}/partnerships/conventions/")
    page.get_by_test_id("new-convention").click()
    page.locator("#id_title").fill("Convention HOM Sédhiou 2027")
    page.locator("#id_objectives").fill("Accueillir 600 migrants et financer 30 projets d'ici fin 2027.")
    page.locator("#id_starts_on").fill("2027-01-01")
    page.locator("#id_ends_on").fill("2027-12-31")
    _submit(page)
    expect(page.get_by_test_id("convention-title")).to_have_text("Convention HOM Sédhiou 2027")

    for organisation, role in ((ard, "coordinator"), (grdr, "technical")):
        page.get_by_test_id("add-party").click()
        page.locator("#id_organisation").select_option(str(organisation.pk))
        page.locator("#id_role").select_option(role)
        page.locator("#id_responsibilities").fill(f"Engagements écrits de {organisation.acronym}.")
        _submit(page)
    expect(page.get_by_test_id("parties")).to_contain_text("Agence régionale de développement de Sédhiou")
    expect(page.get_by_test_id("parties")).to_contain_text("Grdr Migration-Citoyenneté-Développement")

    page.get_by_test_id("add-budget-line").click()
    page.locator("#id_activity").fill("Forum de la diaspora")
    page.locator("#id_amount").fill("5000000")
    _submit(page)
    for organisation, kind, amount in ((ard, "in_kind", "1500000"), (grdr, "cash", "2500000")):
        page.get_by_test_id("add-contribution").click()
        page.locator("#id_party").select_option(str(ConventionParty.objects.get(organisation=organisation).pk))
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_committed").fill(amount)
        _submit(page)

    totals = page.get_by_test_id("budget-totals")
    expect(totals.get_by_test_id("total-amount")).to_have_text(format_fcfa(5_000_000))
    expect(totals.get_by_test_id("party-total").nth(0)).to_have_text(format_fcfa(1_500_000))
    expect(totals.get_by_test_id("party-total").nth(1)).to_have_text(format_fcfa(2_500_000))
    expect(totals.get_by_test_id("total-committed")).to_have_text(format_fcfa(4_000_000))
    expect(page.get_by_test_id("uncovered")).to_contain_text(format_fcfa(1_000_000))
