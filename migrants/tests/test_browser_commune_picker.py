"""The commune picker in headless Chromium: "Dinguiraye" shows both communes, the one chosen is saved."""

import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Commune, Region
from migrants.models import Migrant

pytestmark = pytest.mark.browser


def test_choosing_dinguiraye_shows_both_communes_and_saves_the_one_chosen(
    live_app, reference_data, served_static, page
):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office)
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lamine@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_app.url}/migrants/new/")

    page.get_by_label("Prénom").fill("Mamadou")
    page.get_by_label("Nom*", exact=True).fill("Baldé")
    search = page.get_by_label("Rechercher une commune par son nom")
    search.fill("dinguiraye")

    results = page.get_by_test_id("commune-results").get_by_role("button")
    expect(results).to_have_text(["Dinguiraye — Bambey (Diourbel)", "Dinguiraye — Médina Yoro Foulah (Kolda)"])
    expect(page.get_by_role("status").filter(has_text="communes")).to_have_text("2 communes trouvées.")

    # The keyboard reaches the second one: down twice, then Enter.
    search.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(results.nth(1)).to_be_focused()
    page.keyboard.press("Enter")

    select = page.get_by_label("Commune d'origine")
    kolda = Commune.objects.get(code="SN0702_DINGUIRAYE")
    expect(select).to_have_value(str(kolda.pk))
    expect(select).to_be_focused()
    expect(page.get_by_test_id("commune-results")).to_have_count(0)

    page.get_by_label("Consent au traitement par le bureau").check()
    page.get_by_role("button", name="Inscrire").click()

    expect(page.get_by_test_id("migrant-name")).to_contain_text("Mamadou Baldé")
    assert Migrant.objects.get(last_name="Baldé").commune_of_origin == kolda
    # The search box is not part of the form: its text was never posted.
    assert any("/territories/communes/search/?q=dinguiraye" in url for url in requests)
