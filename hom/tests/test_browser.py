"""The foundation's journey in headless Chromium: log in in French, dashboard, English, log out."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region

pytestmark = pytest.mark.browser


def test_an_advisor_logs_in_sees_the_dashboard_switches_to_english_and_logs_out(live_app, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna")

    page.goto(f"{live_app.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    page.get_by_label("Adresse e-mail").fill("lamine@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()

    expect(page.get_by_test_id("dashboard-title")).to_have_text("Tableau de bord — Bureau de Sédhiou")
    expect(page.get_by_test_id("current-user")).to_contain_text("Lamine Sagna")

    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Dashboard of Bureau de Sédhiou")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto(f"{live_app.url}/")
    expect(page.get_by_test_id("current-user")).to_have_count(0)


def test_the_page_works_on_a_phone_with_the_menu_folded(live_app, page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_app.url}/accounts/login/")

    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="EN", exact=True)).to_be_visible()
