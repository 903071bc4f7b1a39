"""The registry's journey in headless Chromium (runs on SQLite and on PostgreSQL, as the suite does).

An advisor registers a walk-in, logs a visit with two needs and a follow-up date, then
finds the person again by a misspelt name typed without accents.
"""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from migrants.models import Migrant
from migrants.tests.factories import MigrantFactory

pytestmark = pytest.mark.browser


def test_an_advisor_registers_a_walk_in_logs_a_visit_and_finds_the_person_again(
    live_app, reference_data, served_static, page
):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna")
    MigrantFactory(office=office, first_name="Ansou", last_name="Mané")
    follow_up_on = timezone.localdate() + timedelta(days=14)

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lamine@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Migrants", exact=True).click()
    page.get_by_role("link", name="Inscrire une personne").click()

    page.get_by_label("Prénom").fill("Mamadou")
    page.get_by_label("Nom*", exact=True).fill("Diédhiou")
    page.get_by_label("Sexe").select_option("M")
    page.get_by_label("Année de naissance").fill("1988")
    page.get_by_label("Commune d'origine").select_option(label="Sédhiou — Sédhiou (Sédhiou)")
    page.get_by_label("Téléphone", exact=True).fill("77 654 32 10")
    page.get_by_label("Consent au traitement par le bureau").check()
    page.get_by_role("button", name="Inscrire").click()

    expect(page.get_by_test_id("migrant-name")).to_contain_text("Mamadou Diédhiou")
    expect(page.get_by_test_id("migrant-name")).to_contain_text(f"SED-{timezone.localdate().year}-")

    page.get_by_text("Noter une visite").click()
    page.get_by_label("Recherche de financement").check()
    page.get_by_label("Formation", exact=True).check()
    page.get_by_label("Date de suivi").fill(follow_up_on.isoformat())
    page.get_by_role("button", name="Enregistrer la visite").click()

    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Recherche de financement")
    expect(timeline).to_contain_text("Formation")
    expect(page.get_by_test_id("open-follow-ups")).to_contain_text(follow_up_on.strftime("%d/%m/%Y"))

    page.get_by_role("link", name="Migrants", exact=True).click()
    page.get_by_label("Nom, téléphone ou numéro de dossier").fill("mamadu diedhiu")

    rows = page.get_by_test_id("migrant-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Diédhiou Mamadou")
    rows.first.get_by_role("link").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Recherche de financement")
    assert Migrant.objects.get(last_name="Diédhiou").visits.get().needs.count() == 2
