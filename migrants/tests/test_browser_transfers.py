"""The Sédhiou admin transfers a person to Kolda, in headless Chromium; the Kolda admin then sees them (issue 24, part 6)."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from hom.testing.a11y import audit, check_phone

from .factories import MigrantFactory

pytestmark = pytest.mark.browser


def _login(page, live_app, user):
    page.context.clear_cookies()
    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()


def test_the_sedhiou_admin_transfers_a_person_and_the_kolda_admin_sees_them(live_app, reference_data, served_static, page):
    sedhiou = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    kolda = OfficeFactory(code="KOL", name="Bureau de Kolda", region=Region.objects.get(code="SN07"))
    admin = UserFactory(email="aissatou@example.sn", first_name="Aïssatou", last_name="Mané", role=Role.ADMIN,
                        office=sedhiou, is_staff=True)
    kolda_admin = UserFactory(email="kolda.admin@example.sn", role=Role.ADMIN, office=kolda, is_staff=True)
    person = MigrantFactory(office=sedhiou, first_name="Ousmane", last_name="Sagna")

    _login(page, live_app, admin)
    page.goto(f"{live_app.url}{person.get_absolute_url()}")
    page.get_by_test_id("transfer-link").click()
    expect(page.get_by_role("heading", name="Transférer vers un autre bureau")).to_be_visible()
    audit(page, "transfer")
    check_phone(page, "transfer-375")
    page.get_by_label("Vers le bureau").select_option(label="Bureau de Kolda")
    page.get_by_label("Motif").fill("Déménage à Kolda")
    page.get_by_test_id("transfer-submit").click()

    expect(page.get_by_test_id("transfers-sent")).to_contain_text("Ousmane Sagna")
    expect(page.get_by_test_id("transfers-sent")).to_contain_text("Bureau de Kolda")
    audit(page, "transfer-list")
    check_phone(page, "transfer-list-375")

    _login(page, live_app, kolda_admin)
    page.goto(f"{live_app.url}/migrants/transfers/")
    expect(page.get_by_test_id("transfers-received")).to_contain_text("Ousmane Sagna")
    page.goto(f"{live_app.url}{person.get_absolute_url()}")
    expect(page.get_by_test_id("history")).to_contain_text("Transféré vers Bureau de Kolda\u00a0: Déménage à Kolda")
    expect(page.get_by_test_id("history")).to_contain_text("Aïssatou Mané")
