"""The office admin writes a guidance sheet, an advisor gives it at a visit, anyone reads it: headless Chromium."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from hom.testing.a11y import audit, check_page, check_phone

from .factories import MigrantFactory

pytestmark = pytest.mark.browser


def _log_in(page, live_app, user):
    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()


def test_a_sheet_is_written_given_at_a_visit_and_read_by_anyone(live_app, reference_data, served_static, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    admin = UserFactory(email="aissatou@example.sn", role=Role.ADMIN, office=office)
    advisor = UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office)
    person = MigrantFactory(office=office, first_name="Ousmane", last_name="Sagna")

    _log_in(page, live_app, admin)
    page.goto(f"{live_app.url}/procedures/")
    page.get_by_role("link", name="Nouvelle fiche").click()
    page.get_by_label("Thème").select_option(label="Services consulaires")
    page.get_by_label("Titre (français)").fill("La carte consulaire")
    page.get_by_label("La fiche (français)").fill("Inscrivez-vous au consulat.\n\nApportez votre passeport.")
    page.get_by_label("Source officielle").fill("www.diplomatie.gouv.sn")
    check_page(page, "procedure-form")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_test_id("procedure-sheet")).to_contain_text("Apportez votre passeport.")
    expect(page.get_by_test_id("procedure-sheet")).to_contain_text("https://www.diplomatie.gouv.sn")

    page.context.clear_cookies()
    _log_in(page, live_app, advisor)
    page.goto(f"{live_app.url}/migrants/{person.pk}/visits/new/")
    page.get_by_label("La carte consulaire").check()
    page.get_by_role("main").get_by_role("button", name="Enregistrer la visite").click()
    expect(page.get_by_test_id("visit-procedures")).to_contain_text("La carte consulaire")

    page.context.clear_cookies()
    page.goto(f"{live_app.url}/procedures/")
    audit(page, "procedures")
    check_phone(page, "procedures-375")
    page.get_by_role("link", name="La carte consulaire").click()
    expect(page.get_by_role("heading", name="La carte consulaire")).to_be_visible()
    check_phone(page, "procedure-375")
