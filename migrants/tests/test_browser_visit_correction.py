"""An advisor corrects a visit logged with the wrong date, in headless Chromium, and reads why in the history."""
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from hom.testing.a11y import audit, check_phone

from .factories import MigrantFactory, VisitFactory

pytestmark = pytest.mark.browser


def test_an_advisor_corrects_a_visit_and_the_history_says_who_and_why(live_app, reference_data, served_static, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(email="lamine@example.sn", first_name="Lamine", last_name="Sané", role=Role.ADVISOR,
                          office=office)
    person = MigrantFactory(office=office, first_name="Ousmane", last_name="Sagna")
    VisitFactory(migrant=person, advisor=advisor, notes="Crédit", occurred_at=timezone.make_aware(
        datetime(2026, 10, 14, 10, 0)))

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(advisor.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_app.url}{person.get_absolute_url()}")
    page.get_by_test_id("correct-visit").click()

    expect(page.get_by_role("heading", name="Corriger une visite")).to_be_visible()
    audit(page, "visit-correction")
    check_phone(page, "visit-correction-375")
    page.get_by_label("Date et heure").fill("2026-11-03T09:30")
    page.get_by_label("Motif de la correction").fill("Mauvaise date saisie")
    page.get_by_role("button", name="Enregistrer la correction").click()

    expect(page.get_by_test_id("timeline")).to_contain_text("03/11/2026 09:30")
    expect(page.get_by_test_id("history")).to_contain_text("Visite du 03/11/2026 corrigée\u00a0: Mauvaise date saisie")
    expect(page.get_by_test_id("history")).to_contain_text("Lamine Sané")
