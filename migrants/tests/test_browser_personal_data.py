"""The printed pages of a person's data on a phone and on paper, in headless Chromium (issue 15).

The consent form and the readable data sheet fit a 375 px screen without sideways scrolling,
and print without the menu, the footer or the links around them (print CSS, no script).
"""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from migrants.tests.factories import MigrantFactory, VisitFactory

pytestmark = pytest.mark.browser


def test_the_consent_form_and_the_data_sheet_fit_a_phone_and_print_plainly(live_app, reference_data, served_static, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="awa@example.sn", role=Role.ADMIN, office=office, is_staff=True)
    person = MigrantFactory(office=office, first_name="Khady", last_name="Badji")
    VisitFactory(migrant=person, notes="Khady cherche une formation en couture et en teinture, avec un long texte.")

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("awa@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()

    for path, test_id in ((f"/migrants/{person.pk}/consent-form/", "consent-form"),
                          (f"/migrants/{person.pk}/data/", "subject-access")):
        page.emulate_media(media="screen")
        page.goto(f"{live_app.url}{path}")
        expect(page.get_by_test_id(test_id)).to_contain_text("Khady Badji")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path

        page.emulate_media(media="print")
        expect(page.locator("nav").first).to_be_hidden()
        expect(page.locator("footer")).to_be_hidden()
        expect(page.get_by_test_id(test_id)).to_be_visible()
