"""A commune's cooperation request in headless Chromium: the authority of Sédhiou requests a
cooperation on a phone; the advisor turns it into an introduction to an association and moves it
to accepted; the authority sees it accepted."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Commune, Region
from hom.testing.a11y import audit, check_phone
from partnerships.cooperation.models import CooperationIntroduction, CooperationStatus

from .factories import OrganisationFactory

pytestmark = pytest.mark.browser


def _login(page, live_app, email):
    page.context.clear_cookies()
    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()


def test_the_authority_requests_and_the_advisor_introduces_the_commune(live_app, reference_data, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna")
    UserFactory(email="mairie@example.sn", role=Role.AUTHORITY, first_name="Mairie", last_name="de Sédhiou",
                communes=[Commune.objects.get(code="SN1103_SEDHIOU")])
    OrganisationFactory(name="Amic de Sedhiou Kandeemaa", country="ES", city="Sabadell", is_published=True)

    # The authority, on a phone, asks for a cooperation.
    page.set_viewport_size({"width": 375, "height": 800})
    _login(page, live_app, "mairie@example.sn")
    page.goto(f"{live_app.url}/partnerships/cooperation/")
    check_phone(page, "cooperation-list-authority", with_audit=True)
    page.get_by_test_id("cooperation-request").click()
    form = page.get_by_test_id("cooperation-request-form")
    form.locator("#id_commune").select_option(label="Sédhiou")
    form.get_by_label("Ce que la commune recherche").fill("Une association de Catalogne pour le forage du jardin.")
    form.get_by_label("Objet").select_option("project")
    check_phone(page, "cooperation-request-form", with_audit=True)
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_test_id("cooperation-requests")).to_contain_text("forage du jardin")

    # The advisor turns it into an introduction and moves it to accepted.
    _login(page, live_app, "lamine@example.sn")
    page.goto(f"{live_app.url}/partnerships/cooperation/")
    requests = page.get_by_test_id("cooperation-requests")
    expect(requests).to_contain_text("forage du jardin")
    requests.get_by_role("link", name="Faire la mise en relation").click()
    form = page.get_by_test_id("cooperation-form")
    form.get_by_label("Association ou collectivité étrangère").select_option(label="Amic de Sedhiou Kandeemaa")
    audit(page, "cooperation-form")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_test_id("cooperation-status")).to_have_text("Proposée")
    move = page.get_by_test_id("cooperation-move")
    move.get_by_label("Nouveau statut").select_option("accepted")
    move.get_by_label("Résultat").fill("Rencontre fixée avec le bureau de l'association.")
    move.get_by_role("button", name="Mettre à jour").click()
    expect(page.get_by_test_id("cooperation-status")).to_have_text("Acceptée")
    expect(page.get_by_test_id("cooperation-outcome")).to_have_text("Rencontre fixée avec le bureau de l'association.")
    expect(page.get_by_test_id("cooperation-history")).to_contain_text("Lamine")
    audit(page, "cooperation-detail")
    assert CooperationIntroduction.objects.get().status == CooperationStatus.ACCEPTED

    # The authority sees it accepted, on its phone.
    _login(page, live_app, "mairie@example.sn")
    page.goto(f"{live_app.url}/partnerships/cooperation/")
    introduction = page.get_by_test_id("cooperation")
    expect(introduction).to_contain_text("Amic de Sedhiou Kandeemaa")
    expect(introduction.get_by_test_id("cooperation-status")).to_have_text("Acceptée")
    check_phone(page, "cooperation-list-accepted", with_audit=True)
