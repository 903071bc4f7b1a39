"""The matching journey in headless Chromium: from a person's page to an association, an
introduction with a follow-up date, and the introduction on the association's page."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Commune, Region
from migrants.tests.factories import MigrantFactory

from .factories import OrganisationFactory

pytestmark = pytest.mark.browser


def test_an_advisor_finds_a_match_introduces_the_person_and_sees_it_on_the_association_page(
    live_app, reference_data, page
):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna")
    marsassoum = Commune.objects.get(code="SN1103_MARSASSOUM")
    migrant = MigrantFactory(
        office=office, first_name="Seydou", last_name="Mané", commune_of_origin=marsassoum, consent_sharing=True,
        country_of_residence="ES", city_of_residence="Sabadell",
    )
    OrganisationFactory(name="Amics de la Casamance", country="ES", city="Sabadell", communes_served=[marsassoum])
    OrganisationFactory(name="FAST", country="IT", city="Treviso")
    follow_up_on = timezone.localdate() + timedelta(days=10)

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lamine@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_app.url}{migrant.get_absolute_url()}")
    page.get_by_role("link", name="Trouver une association").click()

    matches = page.get_by_test_id("matches")
    expect(matches.locator("li").first).to_contain_text("Amics de la Casamance")
    expect(matches.locator("li").first).to_contain_text("même commune d’origine")
    expect(matches).not_to_contain_text("FAST")
    matches.locator("li").first.get_by_role("link", name="Mettre en relation").click()

    page.get_by_label("Objet").fill("Projet de maraîchage à Marsassoum")
    page.get_by_label("Canal").select_option("whatsapp")
    page.get_by_label("Date de suivi").fill(follow_up_on.isoformat())
    page.get_by_role("button", name="Enregistrer la mise en relation").click()

    expect(page.get_by_test_id("organisation-name")).to_have_text("Amics de la Casamance")
    introductions = page.get_by_test_id("introductions")
    expect(introductions).to_contain_text("Seydou Mané")
    expect(introductions).to_contain_text("Proposée")
    expect(introductions).to_contain_text(follow_up_on.strftime("%d/%m/%Y"))
